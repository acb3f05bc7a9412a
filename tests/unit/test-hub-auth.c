/* SPDX-License-Identifier: MIT */
/* Unit tests of campo-hub's supervisor sign-in: PBKDF2-HMAC-SHA256
 * against known vectors, stored passwords, sessions and their expiry,
 * HTTP Basic and form parsing, HTML escaping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub.h"
#include "runner.h"
#include "util/file.h"

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	}
}

/* PBKDF2-HMAC-SHA256, 32 bytes: RFC 7914 section 11's inputs and the
 * vectors Python's hashlib.pbkdf2_hmac gives (a key longer than the
 * 64-byte block is hashed first; an empty password works). */
static const struct {
	const char *password, *salt;
	uint32_t iterations;
	const char *key;
} vectors[] = {
	{ "password", "salt", 1,
	  "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b" },
	{ "password", "salt", 2,
	  "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43" },
	{ "password", "salt", 4096,
	  "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a" },
	{ "passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt",
	  4096,
	  "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1" },
	{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	  "salt", 3,
	  "59bfa49750dd5462ce38370a1e7abe0736ff334cf1c2f0d84f23a03435d660d1" },
	{ "", "salt", 1,
	  "f135c27993baf98773c5cdb40a5706ce6a345cde61b000a67858650cd6a324d7" },
};

START_TEST(test_pbkdf2_vectors)
{
	uint8_t key[CAMPO_HUB_KEY_LEN];
	char got[2 * CAMPO_HUB_KEY_LEN + 1];

	hub_pbkdf2_sha256(vectors[_i].password, strlen(vectors[_i].password),
			  (const uint8_t *)vectors[_i].salt,
			  strlen(vectors[_i].salt), vectors[_i].iterations,
			  key);
	hex(key, sizeof(key), got);
	ck_assert_str_eq(got, vectors[_i].key);
}
END_TEST

START_TEST(test_password_salted)
{
	struct campo_hub_password a, b;

	ck_assert_int_eq(hub_password_new("correct horse", 13, 1000, &a),
			 CAMPO_OK);
	ck_assert_int_eq(hub_password_new("correct horse", 13, 1000, &b),
			 CAMPO_OK);
	/* the same password twice: two salts, two keys */
	ck_assert_mem_ne(a.salt, b.salt, sizeof(a.salt));
	ck_assert_mem_ne(a.key, b.key, sizeof(a.key));
	ck_assert(hub_password_check(&a, "correct horse", 13));
	ck_assert(hub_password_check(&b, "correct horse", 13));
	ck_assert(!hub_password_check(&a, "correct horsf", 13));
	ck_assert(!hub_password_check(&a, "correct hors", 12));
	ck_assert(!hub_password_check(&a, "", 0));
	a.iterations = 0; /* never "derive nothing and match" */
	ck_assert(!hub_password_check(&a, "correct horse", 13));
	ck_assert_uint_ge(HUB_PASSWORD_ITERATIONS, 100000);
}
END_TEST

struct fixture {
	char dir[4096], path[4200];
	struct campo_hub *hub;
	struct campo_diag diag;
};

static void open_hub(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s", campo_test_tmpdir());
	snprintf(f->path, sizeof(f->path), "%s/hub.db", f->dir);
	ck_assert_int_eq(campo_hub_open(f->path, true, &f->hub, &f->diag),
			 CAMPO_OK);
}

static void close_hub(struct fixture *f)
{
	campo_hub_close(f->hub);
	ck_assert_int_eq(campo_file_remove_tree(f->dir), CAMPO_OK);
}

START_TEST(test_supervisor_store)
{
	struct campo_hub_password pw, got;
	struct fixture f;

	open_hub(&f);
	ck_assert_int_eq(hub_password_new("s3cret-pass", 11, 1000, &pw),
			 CAMPO_OK);
	ck_assert_int_eq(
		campo_hub_supervisor_set(f.hub, "ana", &pw, false, &f.diag),
		CAMPO_OK);
	ck_assert_int_eq(
		campo_hub_supervisor_set(f.hub, "ana", &pw, false, &f.diag),
		CAMPO_ERR_CONFLICT);
	ck_assert_int_eq(
		campo_hub_supervisor_set(f.hub, "bo b", &pw, false, &f.diag),
		CAMPO_ERR_INVALID);
	ck_assert_int_eq(
		campo_hub_supervisor_set(f.hub, "nobody", &pw, true, &f.diag),
		CAMPO_ERR_NOTFOUND);
	ck_assert_int_eq(campo_hub_supervisor_get(f.hub, "ana", &got, &f.diag),
			 CAMPO_OK);
	ck_assert_mem_eq(got.salt, pw.salt, sizeof(pw.salt));
	ck_assert_mem_eq(got.key, pw.key, sizeof(pw.key));
	ck_assert_uint_eq(got.iterations, 1000);
	ck_assert_int_eq(hub_supervisor_verify(f.hub, "ana", "s3cret-pass", 11),
			 CAMPO_OK);
	ck_assert_int_eq(hub_supervisor_verify(f.hub, "ana", "s3cret-pasS", 11),
			 CAMPO_ERR_NOTFOUND);
	ck_assert_int_eq(hub_supervisor_verify(f.hub, "eve", "s3cret-pass", 11),
			 CAMPO_ERR_NOTFOUND);
	close_hub(&f);
}
END_TEST

START_TEST(test_sessions)
{
	struct campo_hub_password pw;
	uint8_t hash[CAMPO_HUB_KEY_LEN], hash2[CAMPO_HUB_KEY_LEN];
	char token[65], token2[65], cookie[128], name[CAMPO_HUB_NAME_MAX + 1];
	const int64_t now = 1790000000;
	struct fixture f;

	open_hub(&f);
	ck_assert_int_eq(hub_password_new("s3cret-pass", 11, 1000, &pw),
			 CAMPO_OK);
	ck_assert_int_eq(
		campo_hub_supervisor_set(f.hub, "ana", &pw, false, &f.diag),
		CAMPO_OK);
	ck_assert_int_eq(hub_session_new(f.hub, "ana", now, token), CAMPO_OK);
	ck_assert_int_eq(hub_session_new(f.hub, "ana", now, token2), CAMPO_OK);
	ck_assert_str_ne(token, token2);
	ck_assert_uint_eq(strlen(token), 64);
	snprintf(cookie, sizeof(cookie), "theme=dark; campo_session=%s; x=1",
		 token);
	ck_assert_int_eq(hub_session_check(f.hub, cookie, now + 10, name, hash),
			 CAMPO_OK);
	ck_assert_str_eq(name, "ana");
	/* expired at its end, not a second later */
	ck_assert_int_eq(hub_session_check(f.hub, cookie,
					   now + HUB_SESSION_SECONDS, name,
					   hash),
			 CAMPO_ERR_NOTFOUND);
	ck_assert_str_eq(name, "");
	/* a wrong, cut or missing token */
	cookie[strlen("theme=dark; campo_session=")] ^= 1;
	ck_assert_int_eq(hub_session_check(f.hub, cookie, now, name, hash),
			 CAMPO_ERR_NOTFOUND);
	ck_assert_int_eq(
		hub_session_check(f.hub, "campo_session=abc", now, name, hash),
		CAMPO_ERR_NOTFOUND);
	ck_assert_int_eq(hub_session_check(f.hub, NULL, now, name, hash),
			 CAMPO_ERR_NOTFOUND);
	/* signing out ends one session; the other lives */
	snprintf(cookie, sizeof(cookie), "campo_session=%s", token);
	ck_assert_int_eq(hub_session_check(f.hub, cookie, now, name, hash),
			 CAMPO_OK);
	ck_assert_int_eq(campo_hub_session_remove(f.hub, hash, &f.diag),
			 CAMPO_OK);
	ck_assert_int_eq(hub_session_check(f.hub, cookie, now, name, hash),
			 CAMPO_ERR_NOTFOUND);
	snprintf(cookie, sizeof(cookie), "campo_session=%s", token2);
	ck_assert_int_eq(hub_session_check(f.hub, cookie, now, name, hash2),
			 CAMPO_OK);
	/* a new password ends every session */
	ck_assert_int_eq(
		campo_hub_supervisor_set(f.hub, "ana", &pw, true, &f.diag),
		CAMPO_OK);
	ck_assert_int_eq(hub_session_check(f.hub, cookie, now, name, hash2),
			 CAMPO_ERR_NOTFOUND);
	close_hub(&f);
}
END_TEST

START_TEST(test_basic_parse)
{
	char name[CAMPO_HUB_NAME_MAX + 1], pw[HUB_PASSWORD_MAX + 1];

	/* "ana:correct horse" and "ana:a:b" (a colon in the password) */
	ck_assert(hub_basic_parse("Basic YW5hOmNvcnJlY3QgaG9yc2U=", name,
				  sizeof(name), pw, sizeof(pw)));
	ck_assert_str_eq(name, "ana");
	ck_assert_str_eq(pw, "correct horse");
	ck_assert(hub_basic_parse("Basic YW5hOmE6Yg==", name, sizeof(name), pw,
				  sizeof(pw)));
	ck_assert_str_eq(pw, "a:b");
	ck_assert(!hub_basic_parse("Bearer YW5hOmE6Yg==", name, sizeof(name),
				   pw, sizeof(pw)));
	ck_assert(!hub_basic_parse("Basic YW5h", name, sizeof(name), pw,
				   sizeof(pw))); /* no colon */
	ck_assert(!hub_basic_parse("Basic YW5h*mE6Yg==", name, sizeof(name), pw,
				   sizeof(pw)));
	ck_assert(!hub_basic_parse("Basic YQBiOmM=", name, sizeof(name), pw,
				   sizeof(pw))); /* a NUL inside */
	ck_assert(!hub_basic_parse("Basic YW5hOmNvcnJlY3QgaG9yc2U=", name, 3,
				   pw, sizeof(pw)));
	ck_assert(!hub_basic_parse(NULL, name, sizeof(name), pw, sizeof(pw)));
}
END_TEST

START_TEST(test_form_field)
{
	static const char body[] = "name=ana&password=p%C3%A9+r%26s%3D&x=";
	char out[64];

	ck_assert(hub_form_field(body, strlen(body), "name", out, sizeof(out)));
	ck_assert_str_eq(out, "ana");
	ck_assert(hub_form_field(body, strlen(body), "password", out,
				 sizeof(out)));
	ck_assert_str_eq(out, "p\xc3\xa9 r&s=");
	ck_assert(hub_form_field(body, strlen(body), "x", out, sizeof(out)));
	ck_assert_str_eq(out, "");
	ck_assert(!hub_form_field(body, strlen(body), "nam", out, sizeof(out)));
	ck_assert(!hub_form_field(body, strlen(body), "password", out, 4));
	ck_assert(!hub_form_field("a=%4", 4, "a", out, sizeof(out)));
	ck_assert(!hub_form_field("a=%00", 5, "a", out, sizeof(out)));
	/* the length counts, not a NUL */
	ck_assert(hub_form_field("a=12&b=3", 4, "a", out, sizeof(out)));
	ck_assert_str_eq(out, "12");
	ck_assert(!hub_form_field("a=12&b=3", 4, "b", out, sizeof(out)));
}
END_TEST

START_TEST(test_html_escape)
{
	struct campo_buf b;

	campo_buf_init(&b, 1024);
	ck_assert_int_eq(hub_html_escape(&b, "<b a=\"x\">O'Higgins & Sur</b>"),
			 CAMPO_OK);
	ck_assert_str_eq(campo_buf_str(&b),
			 "&lt;b a=&quot;x&quot;&gt;O&#39;Higgins &amp; Sur"
			 "&lt;/b&gt;");
	campo_buf_release(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("hub-auth");
	TCase *tc = tcase_create("auth");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_pbkdf2_vectors, 0,
			    sizeof(vectors) / sizeof(vectors[0]));
	tcase_add_test(tc, test_password_salted);
	tcase_add_test(tc, test_supervisor_store);
	tcase_add_test(tc, test_sessions);
	tcase_add_test(tc, test_basic_parse);
	tcase_add_test(tc, test_form_field);
	tcase_add_test(tc, test_html_escape);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return campo_test_run(suite());
}
