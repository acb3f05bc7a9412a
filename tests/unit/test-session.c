/* SPDX-License-Identifier: MIT */
/* Unit tests of the session: whole interviews through the API over a store. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "form/form-load.h"
#include "runner.h"
#include "session.h"
#include "store/store.h"
#include "util/file.h"

/*
 * fsync and fdatasync of this process, SQLite's included: while
 * fail_syncs is positive each call fails with EIO (counting down), as a
 * dying disk would, so the store reports CAMPO_ERR_UNKNOWN.
 */
static int fail_syncs;

static int sync_result(long nr, int fd)
{
	if (fail_syncs > 0) {
		fail_syncs--;
		errno = EIO;
		return -1;
	}
	return (int)syscall(nr, fd);
}

int fsync(int fd)
{
	return sync_result(SYS_fsync, fd);
}

int fdatasync(int fd)
{
	return sync_result(SYS_fdatasync, fd);
}

/* While fail_writes is set, writes to files (not stdin, stdout, stderr)
 * fail with ENOSPC, as on a full disk. With _FILE_OFFSET_BITS=64 the
 * pwrite defined here is pwrite64, the one SQLite calls. */
static int fail_writes;

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	if (fail_writes && fd > 2) {
		errno = ENOSPC;
		return -1;
	}
	return (ssize_t)syscall(SYS_pwrite64, fd, buf, n, off);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	if (fail_writes && fd > 2) {
		errno = ENOSPC;
		return -1;
	}
	return (ssize_t)syscall(SYS_write, fd, buf, n);
}

/* ----- fixture ----- */

struct fx {
	char dir[4096];
	char path[4200];
	struct campo_store *store;
	struct campo_form *form;
	struct campo_session *s;
	struct campo_diag diag;
};

static void fx_open(struct fx *f, const char *form_path)
{
	enum campo_status status;

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s", campo_test_tmpdir());
	snprintf(f->path, sizeof(f->path), "%s/collector.db", f->dir);
	status = campo_store_open(f->path, 0, &f->store, &f->diag);
	ck_assert_msg(status == CAMPO_OK, "open: %s", f->diag.msg);
	status = campo_form_load_file(form_path, &f->form, NULL);
	ck_assert_msg(status == CAMPO_OK, "load %s", form_path);
}

static void fx_start(struct fx *f)
{
	enum campo_status status;

	status = campo_session_start(f->store, f->form, NULL, &f->s, &f->diag);
	ck_assert_msg(status == CAMPO_OK, "start: %s", f->diag.msg);
}

static void fx_close(struct fx *f)
{
	campo_session_free(f->s);
	campo_form_free(f->form);
	campo_store_close(f->store);
	ck_assert_int_eq(campo_file_remove_tree(f->dir), CAMPO_OK);
}

static const char *census_path(void)
{
	static char buf[4096];
	const char *dir = getenv("CAMPO_FORMS_DIR");

	snprintf(buf, sizeof(buf), "%s/quilicura-census.json",
		 dir ? dir : "forms");
	return buf;
}

/* ----- driving helpers ----- */

static const char *cur(struct campo_session *s)
{
	struct campo_session_question q;

	ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
	if (q.kind == CAMPO_SESSION_END) {
		return "(end)";
	}
	return q.field->name;
}

static enum campo_session_kind kind(struct campo_session *s)
{
	struct campo_session_question q;

	ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
	return q.kind;
}

static const char *key(struct campo_session *s)
{
	static char buf[CAMPO_STORE_KEY_MAX + 1];
	struct campo_session_question q;

	ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
	snprintf(buf, sizeof(buf), "%s", q.key);
	return buf;
}

static void next(struct campo_session *s)
{
	unsigned ch = 0;
	enum campo_status status = campo_session_next(s, &ch);

	ck_assert_msg(status == CAMPO_OK, "next at %s: %s", key(s),
		      campo_session_message(s));
	ck_assert(ch & CAMPO_SESSION_POSITION);
}

/* Moves past notes to question name, answers value (NULL: keep what is
 * there) and goes on. */
static void fill(struct campo_session *s, const char *name, const char *value)
{
	struct campo_session_question q;
	enum campo_status status;

	for (;;) {
		ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
		ck_assert_msg(q.kind == CAMPO_SESSION_QUESTION,
			      "wanted %s, at kind %d (%s)", name, q.kind,
			      q.key);
		if (q.field->type != CAMPO_TYPE_NOTE ||
		    strcmp(q.field->name, name) == 0) {
			break;
		}
		next(s);
	}
	ck_assert_msg(strcmp(q.field->name, name) == 0, "wanted %s, at %s",
		      name, q.key);
	if (value) {
		unsigned ch = 0;

		status = campo_session_answer(s, value, strlen(value), &ch);
		ck_assert_msg(status == CAMPO_OK, "answer %s=%s: %s", q.key,
			      value, campo_session_message(s));
	}
	next(s);
}

static void ans(struct campo_session *s, const char *value)
{
	enum campo_status status;

	status = campo_session_answer(s, value, strlen(value), NULL);
	ck_assert_msg(status == CAMPO_OK, "answer %s=%s: %s", key(s), value,
		      campo_session_message(s));
}

static const char *val(struct campo_session *s, const char *k)
{
	return campo_session_value(s, k);
}

/* The stored answer at key, or NULL; in a static buffer. */
static const char *stored(struct fx *f, const char *k)
{
	static char buf[1024];
	struct campo_store_interview *iv = NULL;
	const char *out = NULL;

	ck_assert_int_eq(campo_store_interview_get(
				 f->store, campo_session_instance_id(f->s), 0,
				 &iv, NULL),
			 CAMPO_OK);
	for (size_t i = 0; i < iv->n_answers; i++) {
		if (strcmp(iv->answers[i].key, k) == 0) {
			snprintf(buf, sizeof(buf), "%s", iv->answers[i].value);
			out = buf;
		}
	}
	campo_store_interview_free(iv);
	return out;
}

static uint32_t stored_count(struct fx *f, const char *rkey)
{
	struct campo_store_interview *iv = NULL;
	uint32_t n = 0;

	ck_assert_int_eq(campo_store_interview_get(
				 f->store, campo_session_instance_id(f->s), 0,
				 &iv, NULL),
			 CAMPO_OK);
	for (size_t i = 0; i < iv->n_repeats; i++) {
		if (strcmp(iv->repeats[i].key, rkey) == 0) {
			n = iv->repeats[i].count;
		}
	}
	campo_store_interview_free(iv);
	return n;
}

/* ----- census paths ----- */

static void census_head(struct campo_session *s, const char *result)
{
	fill(s, "enumerator", "AB12");
	fill(s, "interview_date", NULL); /* default: today */
	fill(s, "sector", "s03");
	fill(s, "block", "12");
	fill(s, "address", "Los Aromos 123");
	fill(s, "visit_no", NULL); /* default 1 */
	fill(s, "visit_result", result);
}

static void census_household(struct campo_session *s, const char *hh_size)
{
	fill(s, "consent_text", NULL);
	fill(s, "interview_language", NULL);
	fill(s, "consent", "yes");
	fill(s, "respondent_name", "Rosa Díaz");
	fill(s, "respondent_age", "41");
	fill(s, "hh_size", hh_size);
}

static void disability_none(struct campo_session *s)
{
	fill(s, "wg_seeing", "none");
	fill(s, "wg_hearing", "none");
	fill(s, "wg_walking", "none");
	fill(s, "wg_cognition", "none");
	fill(s, "wg_selfcare", "none");
	fill(s, "wg_communication", "none");
}

static void member_adult(struct campo_session *s, const char *name)
{
	fill(s, "m_name", name);
	fill(s, "sex", "female");
	fill(s, "dob_known", "no");
	fill(s, "age_reported", "40");
	fill(s, "relationship", NULL); /* default head for the first */
	fill(s, "country_birth", "CHL");
	fill(s, "nationality", "CHL");
	fill(s, "id_document", "run");
	fill(s, "languages_spoken", "es");
	fill(s, "attends_school", "no");
	fill(s, "education_level", "secondary");
	fill(s, "education_complete", "yes");
	fill(s, "worked_last_week", "yes");
	fill(s, "occupation", "Vendedora");
	fill(s, "work_sector", "commerce");
	fill(s, "work_contract", NULL);
	fill(s, "health_insurance", "fonasa");
	disability_none(s);
}

static void member_child_abroad(struct campo_session *s)
{
	fill(s, "m_name", "Marie");
	fill(s, "sex", "female");
	fill(s, "dob_known", "yes");
	fill(s, "dob", "2015-03-10");
	fill(s, "age_shown", NULL);
	fill(s, "relationship", "child");
	fill(s, "country_birth", "HTI");
	fill(s, "nationality", "HTI");
	fill(s, "arrival_year", "2020");
	fill(s, "first_region", NULL);
	fill(s, "migratory_status", "permanent");
	fill(s, "id_document", "passport origin_id");
	fill(s, "languages_spoken", "ht es");
	fill(s, "spanish_level", NULL);
	fill(s, "attends_school", "yes");
	fill(s, "education_level", "primary");
	fill(s, "education_complete", "no");
	fill(s, "health_insurance", "fonasa");
	disability_none(s);
}

static void member_baby(struct campo_session *s)
{
	fill(s, "m_name", "Jean");
	fill(s, "sex", "male");
	fill(s, "dob_known", "no");
	fill(s, "age_reported", "1");
	fill(s, "relationship", "grandchild");
	fill(s, "country_birth", "CHL");
	fill(s, "nationality", "CHL");
	fill(s, "id_document", "birth_cert");
	fill(s, "health_insurance", "fonasa");
}

static void census_housing(struct campo_session *s)
{
	fill(s, "summary_note", NULL);
	fill(s, "roster_confirmed", "OK");
	fill(s, "dwelling_type", "house");
	fill(s, "tenure", "owned_paid");
	fill(s, "households_in_dwelling", NULL);
	fill(s, "rooms", "4");
	fill(s, "bedrooms", "2");
	fill(s, "crowding_note", NULL);
	fill(s, "services", "water electricity");
	fill(s, "housing_problems", "none");
}

static void census_migration(struct campo_session *s)
{
	fill(s, "migration_intro", NULL);
	fill(s, "migration_reasons", "work");
	fill(s, "migrated_with", NULL);
	fill(s, "route", NULL);
	fill(s, "lived_elsewhere", NULL);
	fill(s, "children_abroad", NULL);
	fill(s, "remittances", "no");
	fill(s, "discrimination", "no");
	fill(s, "services_used", "none");
	fill(s, "language_barrier", NULL);
	fill(s, "needs", "work papers");
	fill(s, "plans", NULL);
}

static void census_closing(struct campo_session *s)
{
	fill(s, "recontact", "no");
	fill(s, "thanks", NULL);
	fill(s, "observations", NULL);
}

/* ----- tests ----- */

START_TEST(census_complete)
{
	struct fx f;
	struct campo_session *s;
	struct campo_session_question q;
	struct campo_store_interview *iv = NULL;
	enum campo_status status;
	size_t answered, relevant;
	unsigned ch = 0;

	fx_open(&f, census_path());
	fx_start(&f);
	s = f.s;
	ck_assert_str_eq(cur(s), "enumerator");
	ck_assert_str_eq(key(s), "identification/enumerator");
	ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
	ck_assert_str_eq(q.section, "Identificación de la vivienda");
	ck_assert(q.required);
	ck_assert_int_eq(q.type->has_value, true);

	/* a constraint violation with the form's Spanish message, then the
	 * correction */
	fill(s, "enumerator", "AB12");
	fill(s, "interview_date", NULL);
	fill(s, "sector", "s03");
	status = campo_session_answer(s, "0", 1, &ch);
	ck_assert_int_eq(status, CAMPO_ERR_INVALID);
	ck_assert(ch & CAMPO_SESSION_MESSAGE);
	ck_assert(!(ch & CAMPO_SESSION_VALUE));
	ck_assert_str_ne(campo_session_message(s), "");
	ck_assert_str_eq(val(s, "identification/block"), "");
	ck_assert_ptr_null(stored(&f, "identification/block"));
	ans(s, "12");
	ck_assert_str_eq(stored(&f, "identification/block"), "12");
	next(s);
	fill(s, "address", "Los Aromos 123");

	/* back and forth: the answers are where they were */
	ck_assert_int_eq(campo_session_prev(s, NULL), CAMPO_OK);
	ck_assert_int_eq(campo_session_prev(s, NULL), CAMPO_OK);
	ck_assert_str_eq(cur(s), "block");
	ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
	ck_assert_str_eq(q.value, "12");
	ans(s, "13");
	next(s);
	ck_assert_str_eq(cur(s), "address");
	next(s);

	/* one language switch: Creole labels, then back to Spanish */
	ck_assert_str_eq(cur(s), "visit_no");
	ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
	{
		char es[256];

		snprintf(es, sizeof(es), "%s", q.label);
		ck_assert_int_eq(campo_session_language_set(s, 1, &ch),
				 CAMPO_OK);
		ck_assert(ch & CAMPO_SESSION_LANGUAGE);
		ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
		ck_assert_str_ne(q.label, es);
		/* a Creole message for a bad answer */
		ck_assert_int_eq(campo_session_answer(s, "x", 1, NULL),
				 CAMPO_ERR_INVALID);
		ck_assert_str_eq(campo_session_message(s),
				 "Ekri yon nonm antye");
		ck_assert_int_eq(campo_session_language_set(s, 0, NULL),
				 CAMPO_OK);
		ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
		ck_assert_str_eq(q.label, es);
	}
	fill(s, "visit_no", NULL);
	fill(s, "visit_result", "completed");
	census_household(s, "3");
	ck_assert_uint_eq(stored_count(&f, "member"), 3);

	/* the roster: labels filled with the member's name, "2 of 3" */
	fill(s, "roster_intro", NULL);
	member_adult(s, "Rosa");
	ck_assert_str_eq(cur(s), "m_name");
	ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
	ck_assert_uint_eq(q.repeat_pos, 2);
	ck_assert_uint_eq(q.repeat_count, 3);
	ck_assert_str_eq(q.key, "member[2]/m_name");
	ck_assert_str_eq(q.section, "");
	ck_assert_ptr_nonnull(strstr(q.label, "2"));
	member_child_abroad(s);
	ck_assert_str_eq(val(s, "member[2]/born_abroad"), "1");
	ck_assert_str_eq(val(s, "member[2]/member_no"), "2");
	ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
	ck_assert_str_eq(q.member_name, "");
	fill(s, "m_name", "Jean");
	ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
	ck_assert_str_eq(q.member_name, "Jean");
	ck_assert_ptr_nonnull(strstr(q.label, "Jean"));
	ck_assert_int_eq(campo_session_prev(s, NULL), CAMPO_OK);
	member_baby(s);
	ck_assert_str_eq(val(s, "summary/n_members"), "3");
	ck_assert_str_eq(val(s, "summary/n_born_abroad"), "1");
	ck_assert_str_eq(val(s, "summary/head_name"), "Rosa");
	census_housing(s);
	census_migration(s);
	census_closing(s);
	ck_assert_int_eq(kind(s), CAMPO_SESSION_END);

	/* incremental calculation: the overcrowding index follows */
	ck_assert_str_eq(val(s, "housing/crowding"), "1.5");
	ck_assert_str_eq(stored(&f, "housing/crowding"), "1.5");
	ck_assert_int_eq(campo_session_jump(s, "housing/bedrooms", NULL),
			 CAMPO_OK);
	ans(s, "1");
	ck_assert_str_eq(val(s, "housing/crowding"), "3");
	ck_assert_str_eq(val(s, "housing/crowding_level"), "medium");
	ck_assert_str_eq(stored(&f, "housing/crowding"), "3");
	ans(s, "2");

	campo_session_progress(s, &answered, &relevant);
	ck_assert_uint_gt(relevant, 50);
	ck_assert_uint_le(answered, relevant);

	ck_assert_int_eq(campo_session_jump(s, "", NULL), CAMPO_OK);
	status = campo_session_finalize(s, &ch);
	ck_assert_msg(status == CAMPO_OK, "finalize: %s",
		      campo_session_message(s));
	ck_assert(ch & CAMPO_SESSION_STATUS);
	ck_assert_int_eq(campo_session_status(s), CAMPO_STORE_FINALIZED);
	ck_assert_int_eq(campo_session_answer(s, "x", 1, NULL),
			 CAMPO_ERR_INVALID);
	ck_assert_int_eq(campo_store_interview_get(f.store,
						   campo_session_instance_id(s),
						   0, &iv, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(iv->info.status, CAMPO_STORE_FINALIZED);
	ck_assert_str_eq(iv->info.instance_name,
			 "s03 Los Aromos 123 (completed)");
	ck_assert_str_eq(iv->info.language, "es");
	campo_store_interview_free(iv);
	fx_close(&f);
}
END_TEST

/* Issue 3's roster of fifteen, to the end and finalized. */
START_TEST(census_fifteen)
{
	struct fx f;
	struct campo_session *s;
	struct campo_session_question q;

	fx_open(&f, census_path());
	fx_start(&f);
	s = f.s;
	census_head(s, "completed");
	census_household(s, "15");
	fill(s, "roster_intro", NULL);
	member_adult(s, "Rosa");
	for (int m = 2; m <= 15; m++) {
		ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
		ck_assert_uint_eq(q.repeat_pos, (uint32_t)m);
		ck_assert_uint_eq(q.repeat_count, 15);
		member_baby(s);
	}
	ck_assert_uint_eq(stored_count(&f, "member"), 15);
	ck_assert_str_eq(val(s, "summary/n_members"), "15");
	ck_assert_str_eq(val(s, "summary/n_minors"), "14");
	ck_assert_str_eq(val(s, "summary/n_under5"), "14");
	ck_assert_str_eq(val(s, "member[15]/member_no"), "15");
	ck_assert_str_eq(val(s, "member[15]/head_age"), "40");
	ck_assert_str_eq(stored(&f, "member[15]/m_name"), "Jean");
	census_housing(s);
	census_closing(s); /* nobody born abroad: no migration section */
	ck_assert_int_eq(kind(s), CAMPO_SESSION_END);
	ck_assert_str_eq(val(s, "housing/crowding"), "7.5");
	ck_assert_str_eq(val(s, "housing/crowding_level"), "critical");
	ck_assert_int_eq(campo_session_finalize(s, NULL), CAMPO_OK);
	fx_close(&f);
}
END_TEST

START_TEST(census_visit_not_completed)
{
	struct fx f;

	fx_open(&f, census_path());
	fx_start(&f);
	census_head(f.s, "absent");
	fill(f.s, "next_visit", NULL);
	fill(f.s, "not_completed_end", NULL);
	fill(f.s, "observations", NULL);
	ck_assert_int_eq(kind(f.s), CAMPO_SESSION_END);
	/* the default of a hidden question is gone once it is hidden */
	ck_assert_str_eq(val(f.s, "consent_section/interview_language"), "");
	ck_assert_int_eq(campo_session_finalize(f.s, NULL), CAMPO_OK);
	fx_close(&f);
}
END_TEST

START_TEST(census_no_consent)
{
	struct fx f;

	fx_open(&f, census_path());
	fx_start(&f);
	census_head(f.s, "completed");
	fill(f.s, "consent_text", NULL);
	fill(f.s, "interview_language", NULL);
	fill(f.s, "consent", "no");
	fill(f.s, "no_consent_end", NULL);
	ck_assert_str_eq(cur(f.s), "observations");
	ck_assert_str_eq(val(f.s, "interview_ok"), "0");
	fx_close(&f);
}
END_TEST

START_TEST(census_roster_count)
{
	struct fx f;
	struct campo_session *s;
	unsigned ch = 0;

	fx_open(&f, census_path());
	fx_start(&f);
	s = f.s;
	census_head(s, "completed");
	census_household(s, "3");
	fill(s, "roster_intro", NULL);
	member_adult(s, "Rosa");
	fill(s, "m_name", "Marie");
	fill(s, "sex", "female");
	ck_assert_uint_eq(stored_count(&f, "member"), 3);

	/* grow */
	ck_assert_int_eq(campo_session_jump(s, "household/hh_size", NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_session_answer(s, "5", 1, &ch), CAMPO_OK);
	ck_assert(ch & CAMPO_SESSION_REPEATS);
	ck_assert_uint_eq(stored_count(&f, "member"), 5);
	ck_assert_str_eq(val(s, "member[5]/member_no"), "5");
	ck_assert_str_eq(val(s, "summary/n_members"), "5");

	/* shrink asks first; no puts the count back */
	ck_assert_int_eq(campo_session_answer(s, "1", 1, &ch), CAMPO_OK);
	ck_assert(ch & CAMPO_SESSION_CONFIRM);
	ck_assert_str_ne(campo_session_pending(s), "");
	ck_assert_uint_eq(stored_count(&f, "member"), 5);
	ck_assert_int_eq(campo_session_confirm(s, false, &ch), CAMPO_OK);
	ck_assert_str_eq(val(s, "household/hh_size"), "5");
	ck_assert_str_eq(stored(&f, "household/hh_size"), "5");
	ck_assert_str_eq(campo_session_pending(s), "");

	/* shrink, confirmed: the answers of member 2 stay, 3-5 go */
	ck_assert_int_eq(campo_session_answer(s, "2", 1, &ch), CAMPO_OK);
	ck_assert(ch & CAMPO_SESSION_CONFIRM);
	ck_assert_int_eq(campo_session_confirm(s, true, &ch), CAMPO_OK);
	ck_assert(ch & CAMPO_SESSION_REPEATS);
	ck_assert_uint_eq(stored_count(&f, "member"), 2);
	ck_assert_str_eq(val(s, "summary/n_members"), "2");
	ck_assert_str_eq(stored(&f, "member[2]/m_name"), "Marie");

	/* removing member 1 renumbers and lowers the count */
	ck_assert_int_eq(campo_session_jump(s, "member[1]/sex", NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_session_repeat_remove(s, &ch), CAMPO_OK);
	ck_assert_uint_eq(stored_count(&f, "member"), 1);
	ck_assert_str_eq(stored(&f, "member[1]/m_name"), "Marie");
	ck_assert_str_eq(val(s, "household/hh_size"), "1");
	ck_assert_str_eq(val(s, "summary/head_name"), "Marie");
	ck_assert_str_eq(key(s), "member[1]/m_name");
	fx_close(&f);
}
END_TEST

START_TEST(census_relevance_clears)
{
	struct fx f;
	struct campo_session *s;
	struct campo_store_interview *iv = NULL;
	bool audited = false;

	fx_open(&f, census_path());
	fx_start(&f);
	s = f.s;
	census_head(s, "completed");
	census_household(s, "1");
	fill(s, "roster_intro", NULL);
	fill(s, "m_name", "Rosa");
	fill(s, "sex", "female");
	fill(s, "dob_known", "yes");
	fill(s, "dob", "1980-05-02");
	ck_assert_str_eq(stored(&f, "member[1]/dob"), "1980-05-02");
	ck_assert_str_ne(val(s, "member[1]/age"), "");

	ck_assert_int_eq(campo_session_jump(s, "member[1]/dob_known", NULL),
			 CAMPO_OK);
	ans(s, "no");
	ck_assert_str_eq(val(s, "member[1]/dob"), "");
	ck_assert_ptr_null(stored(&f, "member[1]/dob"));
	ck_assert_str_eq(val(s, "member[1]/age"), "");
	ck_assert_int_eq(
		campo_store_interview_get(f.store, campo_session_instance_id(s),
					  CAMPO_STORE_GET_AUDIT, &iv, NULL),
		CAMPO_OK);
	for (size_t i = 0; i < iv->n_audit; i++) {
		const struct campo_store_audit *a = &iv->audit[i];

		if (a->event == CAMPO_STORE_EV_ANSWER_CHANGED &&
		    strcmp(a->key, "member[1]/dob") == 0 && a->old_value &&
		    strcmp(a->old_value, "1980-05-02") == 0 && !a->new_value) {
			audited = true;
		}
	}
	campo_store_interview_free(iv);
	ck_assert(audited);
	next(s);
	ck_assert_str_eq(cur(s), "age_reported");
	fx_close(&f);
}
END_TEST

START_TEST(census_resume)
{
	struct fx f;
	struct campo_session *s2 = NULL;
	struct campo_session_question q;
	char id[CAMPO_STORE_ID_LEN + 1];
	const char *keys[] = { "identification/block", "member[1]/m_name",
			       "member[1]/age",	       "member[2]/m_name",
			       "summary/n_members",    "member[2]/member_no",
			       "household/hh_size" };
	char before[7][128];

	fx_open(&f, census_path());
	fx_start(&f);
	census_head(f.s, "completed");
	census_household(f.s, "3");
	fill(f.s, "roster_intro", NULL);
	member_adult(f.s, "Rosa");
	fill(f.s, "m_name", "Marie");
	ck_assert_str_eq(key(f.s), "member[2]/sex");
	ck_assert_int_eq(campo_session_language_set(f.s, 2, NULL), CAMPO_OK);
	for (size_t i = 0; i < 7; i++) {
		snprintf(before[i], sizeof(before[i]), "%s", val(f.s, keys[i]));
	}
	snprintf(id, sizeof(id), "%s", campo_session_instance_id(f.s));
	campo_session_free(f.s);
	f.s = NULL;

	ck_assert_int_eq(
		campo_session_resume(f.store, f.form, id, NULL, &s2, &f.diag),
		CAMPO_OK);
	f.s = s2;
	ck_assert_str_eq(key(s2), "member[2]/sex");
	ck_assert_uint_eq(campo_session_language(s2), 2);
	for (size_t i = 0; i < 7; i++) {
		ck_assert_str_eq(val(s2, keys[i]), before[i]);
	}
	ck_assert_int_eq(campo_session_question(s2, &q), CAMPO_OK);
	ck_assert_uint_eq(q.repeat_pos, 2);
	ck_assert_str_eq(q.member_name, "Marie");
	fill(s2, "sex", "female");
	ck_assert_str_eq(cur(s2), "dob_known");
	fx_close(&f);
}
END_TEST

START_TEST(census_finalize_revise_discard)
{
	struct fx f;
	struct campo_session *rev = NULL;
	struct campo_store_interview *iv = NULL;
	const struct campo_session_item *items;
	size_t n;
	char old_id[CAMPO_STORE_ID_LEN + 1];
	bool missing = false;

	fx_open(&f, census_path());
	fx_start(&f);
	census_head(f.s, "refused");
	fill(f.s, "not_completed_end", NULL);
	ck_assert_str_eq(cur(f.s), "observations");

	/* the enumerator code taken back: finalize refused, moved there */
	ck_assert_int_eq(
		campo_session_jump(f.s, "identification/address", NULL),
		CAMPO_OK);
	ck_assert_int_eq(campo_session_answer(f.s, "", 0, NULL),
			 CAMPO_ERR_INVALID); /* required */
	ck_assert_int_eq(campo_session_answer_key(f.s, "identification/block",
						  "abc", 3, NULL),
			 CAMPO_ERR_INVALID);
	ck_assert_int_eq(campo_session_review(f.s, &items, &n), CAMPO_OK);
	ck_assert_uint_gt(n, 5);
	ck_assert_str_eq(items[0].key, "identification/enumerator");
	for (size_t i = 0; i < n; i++) {
		if (strcmp(items[i].key, "identification/sector") == 0) {
			ck_assert_str_eq(items[i].display,
					 "Sector 3: San Luis");
		}
		ck_assert(!items[i].missing);
	}
	/* a required question not answered yet */
	ck_assert_int_eq(campo_session_jump(f.s, "identification/sector", NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_session_review(f.s, &items, &n), CAMPO_OK);
	{
		struct campo_session *s = f.s;
		unsigned ch = 0;

		/* clear the visit result by import: hides nothing required */
		ck_assert_int_eq(
			campo_session_answer_key(
				s, "identification/visit_result", "", 0, &ch),
			CAMPO_ERR_INVALID);
		ck_assert_int_eq(campo_session_answer_key(
					 s, "identification/visit_result",
					 "other", 5, &ch),
				 CAMPO_OK);
		ck_assert(ch & CAMPO_SESSION_RELEVANCE);
		ck_assert_int_eq(campo_session_review(s, &items, &n), CAMPO_OK);
		for (size_t i = 0; i < n; i++) {
			if (strcmp(items[i].key,
				   "identification/visit_result_other") == 0) {
				missing = items[i].missing;
			}
		}
		ck_assert(missing);
		ck_assert_int_eq(campo_session_finalize(s, &ch),
				 CAMPO_ERR_INVALID);
		ck_assert(ch & CAMPO_SESSION_MESSAGE);
		ck_assert_str_eq(key(s), "identification/visit_result_other");
		ck_assert_int_eq(campo_session_status(s), CAMPO_STORE_DRAFT);
		ans(s, "Perro bravo");
		ck_assert_int_eq(campo_session_finalize(s, &ch), CAMPO_OK);
	}
	snprintf(old_id, sizeof(old_id), "%s", campo_session_instance_id(f.s));

	/* edit after finalize: a new draft revision with the same answers */
	ck_assert_int_eq(campo_session_revise(f.store, f.form, old_id, NULL,
					      &rev, &f.diag),
			 CAMPO_OK);
	ck_assert_str_ne(campo_session_instance_id(rev), old_id);
	ck_assert_int_eq(campo_session_status(rev), CAMPO_STORE_DRAFT);
	ck_assert_str_eq(val(rev, "identification/visit_result_other"),
			 "Perro bravo");
	ck_assert_int_eq(
		campo_store_interview_get(
			f.store, campo_session_instance_id(rev), 0, &iv, NULL),
		CAMPO_OK);
	ck_assert_str_eq(iv->info.deprecated_id, old_id);
	ck_assert_uint_eq(iv->info.revision, 2);
	campo_store_interview_free(iv);

	/* discard the revision */
	ck_assert_int_eq(campo_session_discard(rev, NULL), CAMPO_OK);
	ck_assert_int_eq(campo_session_status(rev), CAMPO_STORE_DISCARDED);
	ck_assert_int_eq(campo_session_next(rev, NULL), CAMPO_OK);
	ck_assert_int_eq(campo_session_answer(rev, "x", 1, NULL),
			 CAMPO_ERR_INVALID);
	ck_assert_int_eq(
		campo_store_interview_get(
			f.store, campo_session_instance_id(rev), 0, &iv, NULL),
		CAMPO_OK);
	ck_assert_int_eq(iv->info.status, CAMPO_STORE_DISCARDED);
	campo_store_interview_free(iv);
	campo_session_free(rev);
	fx_close(&f);
}
END_TEST

/* ----- small forms ----- */

struct type_case {
	const char *key;
	const char *typed;
	const char *stored; /* NULL: refused */
};

static const struct type_case type_cases[] = {
	{ "i", "42", "42" },
	{ "i", " -7 ", NULL }, /* constraint . >= -5 */
	{ "i", "-5", "-5" },
	{ "i", "007", "7" },
	{ "i", "9223372036854775807", "9223372036854775807" },
	{ "i", "9223372036854775808", NULL },
	{ "i", "1.5", NULL },
	{ "i", "12a", NULL },
	{ "d", "3,25", "3.25" },
	{ "d", "-0.5", "-0.5" },
	{ "d", "1.2.3", NULL },
	{ "d", "1e5", NULL },
	{ "dt", "2024-02-29", "2024-02-29" },
	{ "dt", "2023-02-29", NULL },
	{ "dt", "2024-13-01", NULL },
	{ "dt", "24-01-01", NULL },
	{ "tm", "07:30", "07:30" },
	{ "tm", "23:59:59", "23:59:59" },
	{ "tm", "24:00", NULL },
	{ "dtm", "2024-05-01 12:34", "2024-05-01T12:34" },
	{ "dtm", "2024-05-01T12:34:56Z", "2024-05-01T12:34:56Z" },
	{ "dtm", "2024-05-01T25:00", NULL },
	{ "s1", "pear", "pear" },
	{ "s1", "leek", NULL }, /* filtered out */
	{ "s1", "plum", NULL },
	{ "s1", "apple pear", NULL },
	{ "sm", "pear  apple", "apple pear" },
	{ "sm", "pear pear", NULL },
	{ "sm", "leek", "leek" },
	{ "ack", "ok", "OK" },
	{ "ack", "yes", NULL },
	{ "t", "Pè Jozèf", "Pè Jozèf" },
	{ "t", "bad \xc3\x28", NULL },
	{ "t", "", NULL }, /* required */
};

START_TEST(types_check)
{
	const struct type_case *c = &type_cases[_i];
	struct fx f;
	enum campo_status status;

	fx_open(&f, campo_test_data("forms/session/types.json"));
	fx_start(&f);
	status = campo_session_answer_key(f.s, c->key, c->typed,
					  strlen(c->typed), NULL);
	if (c->stored) {
		ck_assert_msg(status == CAMPO_OK, "%s=%s: %s", c->key, c->typed,
			      campo_session_message(f.s));
		ck_assert_str_eq(val(f.s, c->key), c->stored);
		ck_assert_str_eq(stored(&f, c->key), c->stored);
	} else {
		ck_assert_msg(status == CAMPO_ERR_INVALID, "%s=%s accepted",
			      c->key, c->typed);
		ck_assert_str_ne(campo_session_message(f.s), "");
		ck_assert_ptr_null(stored(&f, c->key));
	}
	fx_close(&f);
}
END_TEST

START_TEST(types_messages_and_labels)
{
	struct fx f;
	struct campo_session_question q;
	static const char *generic[] = { "Escriba un número entero",
					 "Ekri yon nonm antye",
					 "Saisissez un nombre entier",
					 "Type a whole number" };

	fx_open(&f, campo_test_data("forms/session/types.json"));
	fx_start(&f);
	for (size_t l = 0; l < 4; l++) {
		ck_assert_int_eq(campo_session_language_set(f.s, l, NULL),
				 CAMPO_OK);
		ck_assert_int_eq(campo_session_answer(f.s, "x", 1, NULL),
				 CAMPO_ERR_INVALID);
		ck_assert_str_eq(campo_session_message(f.s), generic[l]);
	}
	/* a constraint without a message: the generic one, in English */
	ck_assert_int_eq(campo_session_answer(f.s, "-9", 2, NULL),
			 CAMPO_ERR_INVALID);
	ck_assert_str_eq(campo_session_message(f.s), "The answer is not valid");
	ck_assert_int_eq(campo_session_answer_key(f.s, "i", "3", 1, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_session_answer_key(f.s, "d", "2,5", 3, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_session_answer_key(f.s, "s1", "apple", 5, NULL),
			 CAMPO_OK);
	while (strcmp(cur(f.s), "t") != 0) {
		next(f.s);
	}
	ck_assert_int_eq(campo_session_question(f.s, &q), CAMPO_OK);
	ck_assert_str_eq(q.label, "Text 3 and apple");
	ck_assert_str_eq(q.hint, "Hint 2.5");
	ck_assert(q.required);
	/* the form's own required message, per language */
	ck_assert_int_eq(campo_session_next(f.s, NULL), CAMPO_ERR_INVALID);
	ck_assert_str_eq(campo_session_message(f.s), "Text missing");
	ck_assert_int_eq(campo_session_language_set(f.s, 0, NULL), CAMPO_OK);
	ck_assert_int_eq(campo_session_next(f.s, NULL), CAMPO_ERR_INVALID);
	ck_assert_str_eq(campo_session_message(f.s), "Falta el texto");
	ck_assert_int_eq(campo_session_question(f.s, &q), CAMPO_OK);
	ck_assert_str_eq(q.hint, "Pista 2.5");
	/* choices filtered, labelled in the language, selection marked */
	ck_assert_int_eq(campo_session_jump(f.s, "s1", NULL), CAMPO_OK);
	ck_assert_int_eq(campo_session_question(f.s, &q), CAMPO_OK);
	ck_assert_uint_eq(q.n_choices, 2);
	ck_assert_str_eq(q.choices[0].label, "Manzana");
	ck_assert(q.choices[0].selected);
	ck_assert(!q.choices[1].selected);
	fx_close(&f);
}
END_TEST

START_TEST(prompt_repeat)
{
	struct fx f;
	struct campo_session *s;
	struct campo_session_question q;
	unsigned ch = 0;

	fx_open(&f, campo_test_data("forms/session/prompt.json"));
	fx_start(&f);
	s = f.s;
	fill(s, "who", "Ana");
	ck_assert_int_eq(kind(s), CAMPO_SESSION_PROMPT);
	ck_assert_str_eq(key(s), "trip[1]");
	ck_assert_int_eq(campo_session_repeat_add(s, &ch), CAMPO_OK);
	ck_assert(ch & CAMPO_SESSION_REPEATS);
	ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
	ck_assert_str_eq(q.key, "trip[1]/place");
	ck_assert_str_eq(q.label, "Place 1");
	fill(s, "place", "Lima");
	ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
	ck_assert_str_eq(q.label, "Days in Lima");
	fill(s, "days", "4");
	ck_assert_int_eq(kind(s), CAMPO_SESSION_PROMPT);
	ck_assert_str_eq(key(s), "trip[2]");
	ck_assert_int_eq(campo_session_repeat_add(s, NULL), CAMPO_OK);
	fill(s, "place", "Cusco");
	fill(s, "days", "9");
	ck_assert_str_eq(val(s, "total"), "13");
	/* no more trips: the group shown by the total */
	next(s);
	ck_assert_str_eq(cur(s), "why");
	ck_assert_int_eq(campo_session_prev(s, NULL), CAMPO_OK);
	ck_assert_int_eq(kind(s), CAMPO_SESSION_PROMPT);
	ck_assert_int_eq(campo_session_prev(s, NULL), CAMPO_OK);
	ck_assert_str_eq(key(s), "trip[2]/days");
	ck_assert_int_eq(campo_session_prev(s, NULL), CAMPO_OK);
	ck_assert_int_eq(campo_session_prev(s, NULL), CAMPO_OK);
	ck_assert_str_eq(key(s), "trip[1]/days");
	ans(s, "1");
	ck_assert_str_eq(val(s, "total"), "10");
	ck_assert_int_eq(campo_session_jump(s, "g/why", NULL),
			 CAMPO_ERR_INVALID); /* no longer relevant */
	ck_assert_int_eq(campo_session_jump(s, "trip[2]/place", NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_session_repeat_remove(s, &ch), CAMPO_OK);
	ck_assert(ch & CAMPO_SESSION_REPEATS);
	ck_assert_int_eq(kind(s), CAMPO_SESSION_PROMPT);
	ck_assert_str_eq(val(s, "total"), "1");
	ck_assert_uint_eq(stored_count(&f, "trip"), 1);
	next(s);
	ck_assert_str_eq(cur(s), "last");
	next(s);
	ck_assert_int_eq(kind(s), CAMPO_SESSION_END);
	/* the instance name follows the roster */
	{
		struct campo_store_interview *iv = NULL;

		ck_assert_int_eq(campo_store_interview_get(
					 f.store, campo_session_instance_id(s),
					 0, &iv, NULL),
				 CAMPO_OK);
		ck_assert_str_eq(iv->info.instance_name, "Trips: 1");
		campo_store_interview_free(iv);
	}
	/* jump not reached yet is refused in a fresh interview */
	fx_close(&f);
}
END_TEST

START_TEST(jump_unreached)
{
	struct fx f;

	fx_open(&f, campo_test_data("forms/session/prompt.json"));
	fx_start(&f);
	ck_assert_int_eq(campo_session_jump(f.s, "last", NULL),
			 CAMPO_ERR_INVALID);
	ck_assert_int_eq(campo_session_jump(f.s, "nope", NULL),
			 CAMPO_ERR_NOTFOUND);
	ck_assert_int_eq(campo_session_prev(f.s, NULL), CAMPO_OK);
	ck_assert_str_eq(cur(f.s), "who");
	/* import: a missing instance is added */
	ck_assert_int_eq(campo_session_answer_key(f.s, "trip[1]/place", "Quito",
						  5, NULL),
			 CAMPO_OK);
	ck_assert_uint_eq(stored_count(&f, "trip"), 1);
	ck_assert_int_eq(campo_session_answer_key(f.s, "trip[3]/place", "Quito",
						  5, NULL),
			 CAMPO_ERR_NOTFOUND);
	fx_close(&f);
}
END_TEST

/* Shrinking the count while inside a removed row moves out of it; the
 * prompt position survives a resume. */
START_TEST(count_shrink_inside)
{
	struct fx f;
	struct campo_session *s, *again = NULL;
	struct campo_session_question q;
	char id[CAMPO_STORE_ID_LEN + 1];
	unsigned ch = 0;

	fx_open(&f, campo_test_data("forms/session/count.json"));
	fx_start(&f);
	s = f.s;
	fill(s, "n", "3");
	fill(s, "x", "a");
	fill(s, "x", "b");
	ck_assert_str_eq(key(s), "r[3]/x");
	ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
	ck_assert_str_eq(q.label, "Row 3 of 3");
	ans(s, "c");
	ck_assert_str_eq(val(s, "filled"), "3");
	ck_assert_int_eq(campo_session_answer_key(s, "n", "1", 1, &ch),
			 CAMPO_OK);
	ck_assert(ch & CAMPO_SESSION_CONFIRM);
	ck_assert_int_eq(campo_session_confirm(s, true, &ch), CAMPO_OK);
	ck_assert(ch & CAMPO_SESSION_POSITION);
	ck_assert_str_eq(key(s), "after");
	ck_assert_str_eq(val(s, "filled"), "1");
	ck_assert_uint_eq(stored_count(&f, "r"), 1);
	ck_assert_int_eq(campo_session_question(s, &q), CAMPO_OK);
	ck_assert_str_eq(q.label, "After (1 filled)");
	/* the count back up: empty rows, numbered */
	ck_assert_int_eq(campo_session_answer_key(s, "n", "2", 1, &ch),
			 CAMPO_OK);
	ck_assert_str_eq(val(s, "r[2]/pos"), "2");
	ck_assert_str_eq(val(s, "r[2]/x"), "");
	ck_assert_int_eq(campo_session_prev(s, NULL), CAMPO_OK);
	ck_assert_str_eq(key(s), "r[2]/x");
	ck_assert_int_eq(campo_session_prev(s, NULL), CAMPO_OK);
	ck_assert_str_eq(key(s), "r[1]/x");
	fx_close(&f);

	/* resume at a prompt */
	fx_open(&f, campo_test_data("forms/session/prompt.json"));
	fx_start(&f);
	fill(f.s, "who", "Ana");
	ck_assert_int_eq(campo_session_repeat_add(f.s, NULL), CAMPO_OK);
	fill(f.s, "place", "Lima");
	fill(f.s, "days", NULL);
	ck_assert_str_eq(key(f.s), "trip[2]");
	snprintf(id, sizeof(id), "%s", campo_session_instance_id(f.s));
	ck_assert_int_eq(campo_session_resume(f.store, f.form, id, NULL, &again,
					      &f.diag),
			 CAMPO_OK);
	ck_assert_int_eq(kind(again), CAMPO_SESSION_PROMPT);
	ck_assert_str_eq(key(again), "trip[2]");
	campo_session_free(again);
	fx_close(&f);
}
END_TEST

/* An fsync that fails once is re-applied and the answer saved; one that
 * keeps failing is "not known to be saved", never reported saved. */
START_TEST(sync_failure)
{
	struct fx f;
	struct campo_store_interview *iv = NULL;
	size_t changes = 0;
	unsigned ch = 0;

	fx_open(&f, campo_test_data("forms/session/prompt.json"));
	fx_start(&f);
	fail_syncs = 1;
	ck_assert_int_eq(campo_session_answer(f.s, "Ana", 3, &ch), CAMPO_OK);
	ck_assert_int_eq(fail_syncs, 0);
	ck_assert_str_eq(stored(&f, "who"), "Ana");

	fail_syncs = 1000;
	ck_assert_int_eq(campo_session_answer(f.s, "Eva", 3, &ch),
			 CAMPO_ERR_UNKNOWN);
	ck_assert(ch & CAMPO_SESSION_MESSAGE);
	ck_assert(!(ch & CAMPO_SESSION_VALUE));
	ck_assert_str_eq(campo_session_message(f.s),
			 "Not known to be saved: try again");
	ck_assert_str_eq(val(f.s, "who"), "Ana");
	fail_syncs = 0;
	ck_assert_int_eq(campo_session_answer(f.s, "Eva", 3, &ch), CAMPO_OK);
	ck_assert(ch & CAMPO_SESSION_VALUE);
	ck_assert_str_eq(stored(&f, "who"), "Eva");
	ck_assert_int_eq(campo_store_interview_get(
				 f.store, campo_session_instance_id(f.s),
				 CAMPO_STORE_GET_AUDIT, &iv, NULL),
			 CAMPO_OK);
	for (size_t i = 0; i < iv->n_audit; i++) {
		if (iv->audit[i].event == CAMPO_STORE_EV_ANSWER_CHANGED &&
		    iv->audit[i].new_value &&
		    strcmp(iv->audit[i].new_value, "Eva") == 0) {
			changes++;
		}
	}
	campo_store_interview_free(iv);
	ck_assert_uint_eq(changes, 1);
	fx_close(&f);
}
END_TEST

/* A full disk while answering: a clear message, nothing half-saved, the
 * same answer saved once space is back. */
START_TEST(disk_full)
{
	struct fx f;
	unsigned ch = 0;

	fx_open(&f, campo_test_data("forms/session/prompt.json"));
	fx_start(&f);
	ck_assert_int_eq(campo_session_answer(f.s, "Ana", 3, NULL), CAMPO_OK);
	fail_writes = 1;
	ck_assert_int_eq(campo_session_answer(f.s, "Eva", 3, &ch),
			 CAMPO_ERR_IO);
	fail_writes = 0;
	ck_assert(ch & CAMPO_SESSION_MESSAGE);
	ck_assert_str_eq(campo_session_message(f.s),
			 "The disk is full: nothing was saved, free some "
			 "space");
	ck_assert_str_eq(val(f.s, "who"), "Ana");
	ck_assert_int_eq(campo_session_answer(f.s, "Eva", 3, &ch), CAMPO_OK);
	ck_assert_str_eq(stored(&f, "who"), "Eva");
	ck_assert_int_eq(campo_store_integrity_check(f.store, &f.diag),
			 CAMPO_OK);
	fx_close(&f);
}
END_TEST

/* A calculation that reads another is evaluated after it (no stale value
 * saved, no audit row for one), and a relevance reading both an answer and
 * a calculation of it never hides the answer on a stale value. */
START_TEST(calc_order)
{
	struct fx f;
	struct campo_store_interview *iv = NULL;
	size_t rows = 0;

	fx_open(&f, campo_test_data("forms/session/order.json"));
	fx_start(&f);
	ck_assert_int_eq(campo_session_answer_key(f.s, "n", "1", 1, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_session_answer_key(f.s, "kept", "yes", 3, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_session_answer_key(f.s, "n", "5", 1, NULL),
			 CAMPO_OK);
	ck_assert_str_eq(val(f.s, "total"), "15");
	ck_assert_str_eq(stored(&f, "kept"), "yes");
	ck_assert_int_eq(campo_store_interview_get(
				 f.store, campo_session_instance_id(f.s),
				 CAMPO_STORE_GET_AUDIT, &iv, NULL),
			 CAMPO_OK);
	for (size_t i = 0; i < iv->n_audit; i++) {
		if (iv->audit[i].event == CAMPO_STORE_EV_ANSWER_CHANGED &&
		    strcmp(iv->audit[i].key, "total") == 0) {
			rows++;
		}
	}
	campo_store_interview_free(iv);
	ck_assert_uint_eq(rows, 2); /* "3", then "15" */
	fx_close(&f);
}
END_TEST

/* A draft stopped on a question that is hidden since resumes on what
 * follows it. */
START_TEST(resume_hidden)
{
	struct fx f;
	struct campo_session *again = NULL;
	char id[CAMPO_STORE_ID_LEN + 1];

	fx_open(&f, campo_test_data("forms/session/prompt.json"));
	fx_start(&f);
	fill(f.s, "who", "Ana");
	ck_assert_int_eq(campo_session_repeat_add(f.s, NULL), CAMPO_OK);
	fill(f.s, "place", "Lima");
	fill(f.s, "days", "12");
	next(f.s); /* no more trips */
	ck_assert_str_eq(key(f.s), "g/why");
	ck_assert_int_eq(
		campo_session_answer_key(f.s, "trip[1]/days", "2", 1, NULL),
		CAMPO_OK);
	snprintf(id, sizeof(id), "%s", campo_session_instance_id(f.s));
	ck_assert_int_eq(campo_session_resume(f.store, f.form, id, NULL, &again,
					      &f.diag),
			 CAMPO_OK);
	ck_assert_str_eq(key(again), "last");
	campo_session_free(again);
	fx_close(&f);
}
END_TEST

/* Too little free space: no interview starts, and a draft is not
 * finalized, with a clear message and nothing lost. */
START_TEST(space_check)
{
	struct campo_store_options o = { .min_free_bytes = UINT64_MAX / 2 };
	struct campo_store *full = NULL;
	struct campo_session *s = NULL;
	struct fx f;
	char id[CAMPO_STORE_ID_LEN + 1];
	unsigned ch = 0;

	fx_open(&f, campo_test_data("forms/session/prompt.json"));
	ck_assert_int_eq(campo_store_open_opts(f.path, &o, &full, &f.diag),
			 CAMPO_OK);
	ck_assert_int_eq(campo_session_start(full, f.form, NULL, &s, &f.diag),
			 CAMPO_ERR_LIMIT);
	ck_assert_ptr_null(s);
	ck_assert_str_ne(f.diag.msg, "");

	fx_start(&f);
	fill(f.s, "who", "Ana");
	snprintf(id, sizeof(id), "%s", campo_session_instance_id(f.s));
	ck_assert_int_eq(
		campo_session_resume(full, f.form, id, NULL, &s, &f.diag),
		CAMPO_OK);
	ck_assert_int_eq(campo_session_jump(s, "", NULL), CAMPO_OK);
	ck_assert_int_eq(campo_session_finalize(s, &ch), CAMPO_ERR_LIMIT);
	ck_assert(ch & CAMPO_SESSION_MESSAGE);
	ck_assert_str_eq(campo_session_message(s),
			 "The disk is full: nothing was saved, free some "
			 "space");
	ck_assert_int_eq(campo_session_status(s), CAMPO_STORE_DRAFT);
	ck_assert_str_eq(stored(&f, "who"), "Ana");
	campo_session_free(s);
	campo_store_close(full);
	fx_close(&f);
}
END_TEST

/* A cascading select: changing the region drops the comunas the filter no
 * longer offers, in the store too, and the audit keeps the old answer. */
START_TEST(choice_filter_change_drops_answers)
{
	struct fx f;
	struct campo_store_interview *iv = NULL;
	bool audited = false;

	fx_open(&f, campo_test_data("forms/session/cascade.json"));
	fx_start(&f);
	ck_assert_int_eq(campo_session_answer_key(f.s, "region", "rm", 2, NULL),
			 CAMPO_OK);
	/* a comuna of another region is refused while rm is chosen */
	ck_assert_int_eq(
		campo_session_answer_key(f.s, "comuna", "vina", 4, NULL),
		CAMPO_ERR_INVALID);
	ck_assert_int_eq(
		campo_session_answer_key(f.s, "comuna", "renca", 5, NULL),
		CAMPO_OK);
	ck_assert_int_eq(campo_session_answer_key(f.s, "visited",
						  "quilicura other", 15, NULL),
			 CAMPO_OK);
	ck_assert_int_eq(campo_session_answer_key(f.s, "region", "v", 1, NULL),
			 CAMPO_OK);
	ck_assert_str_eq(val(f.s, "comuna"), "");
	ck_assert_ptr_null(stored(&f, "comuna")); /* cleared */
	ck_assert_str_eq(val(f.s, "visited"), "other");
	ck_assert_str_eq(stored(&f, "visited"), "other");
	ck_assert_int_eq(campo_store_interview_get(
				 f.store, campo_session_instance_id(f.s),
				 CAMPO_STORE_GET_AUDIT, &iv, NULL),
			 CAMPO_OK);
	for (size_t i = 0; i < iv->n_audit; i++) {
		const struct campo_store_audit *a = &iv->audit[i];

		if (a->event == CAMPO_STORE_EV_ANSWER_CHANGED &&
		    !strcmp(a->key, "comuna") && a->old_value &&
		    !strcmp(a->old_value, "renca") && !a->new_value) {
			audited = true;
		}
	}
	campo_store_interview_free(iv);
	ck_assert(audited);
	/* an answer the new filter still offers is kept */
	ck_assert_int_eq(
		campo_session_answer_key(f.s, "comuna", "vina", 4, NULL),
		CAMPO_OK);
	ck_assert_int_eq(campo_session_answer_key(f.s, "region", "v", 1, NULL),
			 CAMPO_OK);
	ck_assert_str_eq(stored(&f, "comuna"), "vina");
	fx_close(&f);
}
END_TEST

static Suite *session_suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("census");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, census_complete);
	tcase_add_test(tc, census_fifteen);
	tcase_add_test(tc, census_visit_not_completed);
	tcase_add_test(tc, census_no_consent);
	tcase_add_test(tc, census_roster_count);
	tcase_add_test(tc, census_relevance_clears);
	tcase_add_test(tc, census_resume);
	tcase_add_test(tc, census_finalize_revise_discard);
	suite_add_tcase(s, tc);

	tc = tcase_create("small");
	tcase_add_loop_test(tc, types_check, 0,
			    (int)(sizeof(type_cases) / sizeof(type_cases[0])));
	tcase_add_test(tc, types_messages_and_labels);
	tcase_add_test(tc, prompt_repeat);
	tcase_add_test(tc, jump_unreached);
	tcase_add_test(tc, space_check);
	tcase_add_test(tc, calc_order);
	tcase_add_test(tc, choice_filter_change_drops_answers);
	tcase_add_test(tc, resume_hidden);
	tcase_add_test(tc, sync_failure);
	tcase_add_test(tc, disk_full);
	tcase_add_test(tc, count_shrink_inside);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return campo_test_run(session_suite());
}
