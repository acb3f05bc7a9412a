/* SPDX-License-Identifier: MIT */
/* Benchmark: expression evaluations per second on census-style expressions
 * (median of runs), side by side with the oracle's engine (Enketo's
 * openrosa-xpath-evaluator) when CAMPO_ORACLE_DIR names an installed
 * oracle and node is on the PATH. Goal: at least 100x the oracle. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "form/expr.h"
#include "form/form.h"
#include "form/instance.h"
#include "util/buf.h"

#define RUNS 5
#define RUN_SECONDS 0.2
#define MEMBERS 15
#define GOAL 100.0

struct bench {
	const char *name;
	const char *expr;
	bool in_repeat; /* evaluated in member 7, on its m_age */
};

static const struct bench benches[] = {
	{ "relevance", "${a} = 'x' and ${b} > 3", false },
	{ "constraint regex", "regex(${phone}, '^0[0-9]{9}$')", false },
	{ "count predicate", "count(${member}[m_age >= 18])", false },
	{ "sum repeat", "sum(${m_age})", false },
	{ "concat", "concat(${head}, ' (', ${b}, ' members)')", false },
	{ "if chain",
	  "if(${b} >= 18, 'adult', if(${b} >= 13, 'teen', if(${b} >= 5, "
	  "'child', 'infant')))",
	  false },
	{ "in-repeat relevance", "${m_age} >= 12 and ${m_sex} = 'female'",
	  true },
};

#define N_BENCH (sizeof(benches) / sizeof(benches[0]))

static const char *const top[][2] = {
	{ "a", "x" },
	{ "b", "7" },
	{ "phone", "0244123456" },
	{ "head", "Ama" },
};

static const char *member_age(int i)
{
	static const char *const ages[] = { "45", "47", "12", "3",  "19",
					    "70", "8",	"16", "33", "2",
					    "61", "25", "14", "5",  "38" };
	return ages[i % 15];
}

/* The census-like data, as a campo instance. */
static int build(struct campo_form **formp, struct campo_instance **instp,
		 struct campo_inode **member7, int32_t *m_age)
{
	struct campo_form *form = campo_form_new();
	struct campo_instance *inst;
	struct campo_inode *root, *m;
	uint32_t f[4], rep, age, sex;

	if (!form) {
		return -1;
	}
	for (size_t i = 0; i < 4; i++) {
		if (campo_form_field_add(form, -1, top[i][0], strlen(top[i][0]),
					 CAMPO_TYPE_TEXT, &f[i])) {
			return -1;
		}
	}
	if (campo_form_field_add(form, -1, "member", 6, CAMPO_TYPE_REPEAT,
				 &rep) ||
	    campo_form_field_add(form, (int32_t)rep, "m_age", 5,
				 CAMPO_TYPE_INTEGER, &age) ||
	    campo_form_field_add(form, (int32_t)rep, "m_sex", 5,
				 CAMPO_TYPE_TEXT, &sex)) {
		return -1;
	}
	inst = campo_instance_new(form);
	if (!inst) {
		return -1;
	}
	root = campo_instance_root(inst);
	for (size_t i = 0; i < 4; i++) {
		campo_inode_set(root, f[i], top[i][1], strlen(top[i][1]));
	}
	for (int i = 0; i < MEMBERS; i++) {
		const char *s = i % 2 ? "male" : "female";

		if (campo_inode_add(root, rep, &m)) {
			return -1;
		}
		campo_inode_set(m, age, member_age(i), strlen(member_age(i)));
		campo_inode_set(m, sex, s, strlen(s));
		if (i == 6) {
			*member7 = m;
		}
	}
	*m_age = (int32_t)age;
	*formp = form;
	*instp = inst;
	return 0;
}

/* Median evaluations per second of b over the instance (after a warm-up
 * run, as the oracle gets one for its JIT). */
static double bench_campo(const struct bench *b, const struct campo_form *form,
			  const struct campo_instance *inst,
			  const struct campo_inode *member7, int32_t m_age,
			  char *value, size_t value_len)
{
	struct campo_expr *e;
	struct campo_diag diag = { 0 };
	struct campo_eval ev;
	struct campo_buf out;
	double rates[RUNS];

	if (campo_expr_compile(form, b->in_repeat ? m_age : -1, -1, b->expr,
			       strlen(b->expr), &e, &diag)) {
		fprintf(stderr, "bench-expr: %s: %s\n", b->expr, diag.msg);
		exit(1);
	}
	campo_eval_init(&ev, inst);
	if (b->in_repeat) {
		ev.node = member7;
		ev.field = m_age;
	}
	campo_buf_init(&out, 4096);
	for (int r = -1; r < RUNS; r++) {
		double t0 = (campo_bench_now_ms() / 1e3), t;
		long n = 0;

		do {
			for (int k = 0; k < 1000; k++) {
				campo_buf_reset(&out);
				if (campo_expr_eval_text(e, &ev, &out, &diag)) {
					fprintf(stderr, "bench-expr: %s\n",
						diag.msg);
					exit(1);
				}
			}
			n += 1000;
			t = (campo_bench_now_ms() / 1e3) - t0;
		} while (t < RUN_SECONDS);
		if (r >= 0) {
			rates[r] = (double)n / t;
		}
	}
	snprintf(value, value_len, "%s", campo_buf_str(&out));
	campo_buf_release(&out);
	campo_eval_release(&ev);
	campo_expr_free(e);
	qsort(rates, RUNS, sizeof(rates[0]), campo_bench_cmp_double);
	return rates[RUNS / 2];
}

/* The oracle's side: evaluate each case's XPath on one parsed document. */
static const char oracle_js[] =
	"const dir = process.env.CAMPO_ORACLE_DIR;\n"
	"const oracle = require(dir + '/oracle.js');\n"
	"const orx = require(require.resolve('openrosa-xpath-evaluator',\n"
	"    { paths: [dir] }))();\n"
	"const ns = { lookupNamespaceURI: () => null };\n"
	"const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
	"for (const c of input) {\n"
	"  const { model, ctx, xpath } = oracle.prepare(c, () => 1);\n"
	"  const doc = new DOMParser().parseFromString(model.xml,\n"
	"      'application/xml');\n"
	"  const node = orx.evaluate(ctx.xpath, doc, ns,\n"
	"      XPathResult.FIRST_ORDERED_NODE_TYPE).singleNodeValue;\n"
	"  const rates = [];\n"
	"  let value = '';\n"
	"  const warm = process.hrtime.bigint();\n"
	"  while (Number(process.hrtime.bigint() - warm) < 3e8) {\n"
	"    orx.evaluate(xpath, node, ns, XPathResult.STRING_TYPE);\n"
	"  }\n"
	"  for (let r = 0; r < 5; r++) {\n"
	"    let n = 0, t = 0;\n"
	"    const t0 = process.hrtime.bigint();\n"
	"    do {\n"
	"      for (let k = 0; k < 50; k++) {\n"
	"        value = orx.evaluate(xpath, node, ns,\n"
	"            XPathResult.STRING_TYPE).stringValue;\n"
	"      }\n"
	"      n += 50;\n"
	"      t = Number(process.hrtime.bigint() - t0) / 1e9;\n"
	"    } while (t < 0.2);\n"
	"    rates.push(n / t);\n"
	"  }\n"
	"  rates.sort((a, b) => a - b);\n"
	"  console.log(rates[2] + ' ' + JSON.stringify(value));\n"
	"}\n";

/* Writes the cases (one JSON array) the oracle evaluates. */
static void cases_json(FILE *f)
{
	fputc('[', f);
	for (size_t i = 0; i < N_BENCH; i++) {
		const struct bench *b = &benches[i];

		fprintf(f, "%s{\"expr\": \"", i ? ",\n" : "");
		for (const char *p = b->expr; *p; p++) {
			if (*p == '"' || *p == '\\') {
				fputc('\\', f);
			}
			fputc(*p, f);
		}
		fprintf(f, "\", \"fields\": {");
		for (size_t k = 0; k < 4; k++) {
			fprintf(f, "%s\"%s\": \"%s\"", k ? ", " : "", top[k][0],
				top[k][1]);
		}
		fprintf(f, "}, \"repeats\": {\"member\": [");
		for (int m = 0; m < MEMBERS; m++) {
			fprintf(f, "%s{\"m_age\": \"%s\", \"m_sex\": \"%s\"}",
				m ? ", " : "", member_age(m),
				m % 2 ? "male" : "female");
		}
		fprintf(f, "]}");
		if (b->in_repeat) {
			fprintf(f, ", \"context\": {\"repeat\": \"member\", "
				   "\"index\": 7, \"field\": \"m_age\"}");
		}
		fputc('}', f);
	}
	fprintf(f, "]\n");
}

/* Runs the oracle; rates[i] is 0 when it could not. */
static bool bench_oracle(double *rates)
{
	const char *dir = getenv("CAMPO_ORACLE_DIR");
	char js[] = "/tmp/campo-bench-XXXXXX";
	char cases[] = "/tmp/campo-cases-XXXXXX";
	char cmd[8192], path[4096];
	FILE *f, *p;
	int fd;
	bool ok = true;

	if (!dir || !*dir) {
		printf("oracle: skipped (set CAMPO_ORACLE_DIR to an oracle "
		       "folder with node_modules)\n");
		return false;
	}
	snprintf(path, sizeof(path), "%s/node_modules", dir);
	if (access(path, R_OK) || system("node --version >/dev/null 2>&1")) {
		printf("oracle: skipped (no node, or no %s)\n", path);
		return false;
	}
	fd = mkstemp(js);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		return false;
	}
	fputs(oracle_js, f);
	fclose(f);
	fd = mkstemp(cases);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		unlink(js);
		return false;
	}
	cases_json(f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "TZ=UTC node '%s' < '%s'", js, cases);
	p = popen(cmd, "r");
	for (size_t i = 0; i < N_BENCH; i++) {
		char line[4096];

		if (!p || !fgets(line, sizeof(line), p)) {
			ok = false;
			rates[i] = 0;
			continue;
		}
		rates[i] = strtod(line, NULL);
	}
	if (p && pclose(p)) {
		ok = false;
	}
	unlink(js);
	unlink(cases);
	return ok;
}

int main(void)
{
	struct campo_form *form;
	struct campo_instance *inst;
	struct campo_inode *member7 = NULL;
	double campo[N_BENCH], oracle[N_BENCH], log_sum = 0;
	char value[N_BENCH][64];
	int32_t m_age;
	bool have_oracle;
	size_t n_ratio = 0;

	if (build(&form, &inst, &member7, &m_age)) {
		fprintf(stderr, "bench-expr: cannot build the form\n");
		return 1;
	}
	for (size_t i = 0; i < N_BENCH; i++) {
		campo[i] = bench_campo(&benches[i], form, inst, member7, m_age,
				       value[i], sizeof(value[i]));
	}
	have_oracle = bench_oracle(oracle);
	printf("%-22s %-12s %14s %14s %8s\n", "expression", "value",
	       "campo eval/s", "oracle eval/s", "ratio");
	for (size_t i = 0; i < N_BENCH; i++) {
		printf("%-22s %-12.12s %14.0f", benches[i].name, value[i],
		       campo[i]);
		if (have_oracle && oracle[i] > 0) {
			printf(" %14.0f %7.0fx\n", oracle[i],
			       campo[i] / oracle[i]);
			log_sum += log(campo[i] / oracle[i]);
			n_ratio++;
		} else {
			printf(" %14s %8s\n", "-", "-");
		}
	}
	if (n_ratio) {
		double g = exp(log_sum / (double)n_ratio);

		printf("geometric mean: %.0fx the oracle (goal %.0fx): %s\n", g,
		       GOAL, g >= GOAL ? "met" : "NOT met");
	}
	campo_instance_free(inst);
	campo_form_free(form);
	return 0;
}
