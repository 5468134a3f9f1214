/*
 * check_conf: table-driven tests of conf.c: defaults, the file, the
 * environment over the file, and every kind of bad line. Writes only
 * temporary files and sets only the KEYFIELD_* variables it clears first.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check-run.h"
#include "base/conf.h"
#include "base/log.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define ENV_MAX		5	/* variables set by one row */
#define ERRS_MAX	5	/* problems expected in one row */
#define NOFILE		((const char *)1)	/* row: the file is absent */

static const char *const vars[] = {
	"KEYFIELD_CONFIG", "KEYFIELD_DB", "KEYFIELD_BASE_URL",
	"KEYFIELD_LOG_LEVEL", "KEYFIELD_FORMS", "KEYFIELD_CA_FILE",
	"KEYFIELD_SMTP_URL", "KEYFIELD_SMTP_CA_FILE",
};

struct row {
	const char	*name;
	const char	*text;		/* the file; NULL: none; NOFILE: absent */
	bool		 explicit;	/* pass the file as --config */
	bool		 via_env;	/* pass it as $KEYFIELD_CONFIG */
	const char	*env[ENV_MAX];	/* "NAME=value", NULL-terminated */
	int		 rc;
	/* Expected fields when rc == 0; NULL: the default. */
	const char	*database, *base_url, *forms_dir;
	int		 log_level;
	/* Expected problems; "@" stands for the file's path. */
	const char	*errs[ERRS_MAX];
	const char	*ca_file;	/* expected when rc == 0; NULL: "" */
};

static const struct row rows[] = {
	{ "defaults, no file", NULL, false, false, { NULL }, 0,
	  NULL, NULL, NULL, -1, { NULL }, NULL },
	{ "missing default file is fine", NOFILE, false, false, { NULL }, 0,
	  NULL, NULL, NULL, -1, { NULL }, NULL },
	{ "missing explicit file", NOFILE, true, false, { NULL }, -1,
	  NULL, NULL, NULL, -1, { "@: No such file or directory" }, NULL },
	{ "missing $KEYFIELD_CONFIG file", NOFILE, false, true, { NULL }, -1,
	  NULL, NULL, NULL, -1, { "@: No such file or directory" }, NULL },
	{ "every key", "# keyfield\n\ndatabase = /var/lib/keyfield/kf.db\n"
	  "base_url = https://survey.example.org\n  log_level=debug  \n"
	  "\tforms_dir =\t/usr/share/keyfield/forms\r\n", false, false,
	  { NULL }, 0, "/var/lib/keyfield/kf.db",
	  "https://survey.example.org", "/usr/share/keyfield/forms",
	  LOG_DEBUG, { NULL }, NULL },
	{ "explicit file", "log_level = warn\n", true, false, { NULL }, 0,
	  NULL, NULL, NULL, LOG_WARN, { NULL }, NULL },
	{ "$KEYFIELD_CONFIG file", "log_level = error", false, true,
	  { NULL }, 0, NULL, NULL, NULL, LOG_ERROR, { NULL }, NULL },
	{ "environment overrides the file",
	  "database = /a.db\nbase_url = https://a.example\nlog_level = info\n"
	  "forms_dir = /a\n", false, false,
	  { "KEYFIELD_DB=/b.db", "KEYFIELD_BASE_URL=http://127.0.0.1:9000",
	    "KEYFIELD_LOG_LEVEL=error", "KEYFIELD_FORMS=/b", NULL }, 0,
	  "/b.db", "http://127.0.0.1:9000", "/b", LOG_ERROR, { NULL }, NULL },
	{ "empty variables count as unset", "database = /a.db\n", false,
	  false, { "KEYFIELD_DB=", "KEYFIELD_LOG_LEVEL=", NULL }, 0,
	  "/a.db", NULL, NULL, -1, { NULL }, NULL },
	{ "value keeps '#' and inner spaces",
	  "database = /srv/my data/#1.db\n", false, false, { NULL }, 0,
	  "/srv/my data/#1.db", NULL, NULL, -1, { NULL }, NULL },
	{ "origins", "base_url = http://[::1]:8080\n", false, false,
	  { NULL }, 0, NULL, "http://[::1]:8080", NULL, -1, { NULL }, NULL },
	{ "unknown key", "databse = /x.db\n", false, false, { NULL }, -1,
	  NULL, NULL, NULL, -1, { "@:1: unknown key \"databse\"" }, NULL },
	{ "keys are case-sensitive", "\n\nDatabase = /x.db\n", false, false,
	  { NULL }, -1, NULL, NULL, NULL, -1,
	  { "@:3: unknown key \"Database\"" }, NULL },
	{ "no equals sign", "database /x.db\n", false, false, { NULL }, -1,
	  NULL, NULL, NULL, -1, { "@:1: expected \"key = value\"" }, NULL },
	{ "no key", " = /x.db\n", false, false, { NULL }, -1,
	  NULL, NULL, NULL, -1, { "@:1: expected \"key = value\"" }, NULL },
	{ "empty value", "database =\n", false, false, { NULL }, -1,
	  NULL, NULL, NULL, -1, { "@:1: database: empty value" }, NULL },
	{ "key twice", "log_level = info\nlog_level = debug\n", false, false,
	  { NULL }, -1, NULL, NULL, NULL, -1,
	  { "@:2: log_level is set twice (first on line 1)" }, NULL },
	{ "bad log level", "log_level = verbose\n", false, false, { NULL },
	  -1, NULL, NULL, NULL, -1,
	  { "@:1: log_level: not one of error, warn, info, debug" }, NULL },
	{ "base_url with a path", "base_url = https://a.example/kf\n", false,
	  false, { NULL }, -1, NULL, NULL, NULL, -1,
	  { "@:1: base_url: not an origin like https://survey.example.org "
	    "(scheme, host and an optional port; no path, no trailing "
	    "slash)" }, NULL },
	{ "base_url with a trailing slash, a bad scheme, a bad port",
	  "base_url = https://a.example/\n", false, false,
	  { "KEYFIELD_BASE_URL=ftp://a.example", NULL }, -1,
	  NULL, NULL, NULL, -1,
	  { "@:1: base_url: not an origin like https://survey.example.org "
	    "(scheme, host and an optional port; no path, no trailing "
	    "slash)",
	    "$KEYFIELD_BASE_URL: not an origin like "
	    "https://survey.example.org (scheme, host and an optional port; "
	    "no path, no trailing slash)" }, NULL },
	{ "port out of range", "base_url = http://a.example:65536\n", false,
	  false, { NULL }, -1, NULL, NULL, NULL, -1,
	  { "@:1: base_url: not an origin like https://survey.example.org "
	    "(scheme, host and an optional port; no path, no trailing "
	    "slash)" }, NULL },
	{ "mail settings", "smtp_url = smtp://mail.example.org:587\n"
	  "smtp_user = kf\nsmtp_password_file = /etc/kf/pw\n"
	  "mail_from = survey@example.org\nmail_per_minute = 30\n", false,
	  false, { "KEYFIELD_SMTP_CA_FILE=/etc/kf/ca.pem", NULL }, 0,
	  NULL, NULL, NULL, -1, { NULL }, NULL },
	{ "smtp_plain to another host", "smtp_url = smtp://mail.example.org\n"
	  "smtp_plain = yes\n", false, false, { NULL }, -1, NULL, NULL, NULL,
	  -1, { "smtp_plain = yes is only for smtp_url = smtp:// to "
	    "127.0.0.1, [::1] or localhost: mail to another host is never "
	    "sent in clear" }, NULL },
	{ "smtp_plain to loopback", "smtp_url = smtp://127.0.0.1:25\n"
	  "smtp_plain = yes\n", false, false, { NULL }, 0, NULL, NULL, NULL,
	  -1, { NULL }, NULL },
	{ "bad mail settings", "smtp_url = http://mail.example.org\n"
	  "smtp_url = smtp://a.example/x\nmail_from = a b@example.org\n"
	  "mail_per_minute = 0\n", false, false,
	  { "KEYFIELD_SMTP_URL=smtps://[::1", NULL }, -1,
	  NULL, NULL, NULL, -1,
	  { "@:1: smtp_url: not smtp://host:587 (STARTTLS) or "
	    "smtps://host:465",
	    "@:2: smtp_url is set twice (first on line 1)",
	    "@:3: mail_from: not a plain e-mail address (one at sign; no "
	    "blanks, quotes, brackets or commas)",
	    "@:4: mail_per_minute: not a number of messages from 1 to 6000",
	    "$KEYFIELD_SMTP_URL: not smtp://host:587 (STARTTLS) or "
	    "smtps://host:465" },
	  NULL },
	{ "control character in a path", "database = /a\x01.db\n", false,
	  false, { NULL }, -1, NULL, NULL, NULL, -1,
	  { "@:1: database: control character in a path" }, NULL },
	{ "bad environment value", NULL, false, false,
	  { "KEYFIELD_LOG_LEVEL=loud", NULL }, -1, NULL, NULL, NULL, -1,
	  { "$KEYFIELD_LOG_LEVEL: not one of error, warn, info, debug" }, NULL },
	{ "ca_file", "ca_file = /etc/keyfield/partners-ca.pem\n", false,
	  false, { NULL }, 0, NULL, NULL, NULL, -1, { NULL },
	  "/etc/keyfield/partners-ca.pem" },
	{ "KEYFIELD_CA_FILE overrides ca_file", "ca_file = /a.pem\n", false,
	  false, { "KEYFIELD_CA_FILE=/b.pem", NULL }, 0, NULL, NULL, NULL, -1,
	  { NULL }, "/b.pem" },
	{ "empty ca_file", "ca_file =\n", false, false, { NULL }, -1,
	  NULL, NULL, NULL, -1, { "@:1: ca_file: empty value" }, NULL },
	{ "every problem is reported, in order",
	  "x = 1\nlog_level = 7\ndatabase\n", false, false, { NULL }, -1,
	  NULL, NULL, NULL, -1,
	  { "@:1: unknown key \"x\"",
	    "@:2: log_level: not one of error, warn, info, debug",
	    "@:3: expected \"key = value\"" }, NULL },
};

/* Replace each '@' of pattern with path. */
static void
expand(char *out, size_t outsz, const char *pattern, const char *path)
{
	size_t	 n = 0;

	for (const char *p = pattern; *p != '\0' && n + 1 < outsz; p++) {
		if (*p == '@') {
			n += (size_t)snprintf(out + n, outsz - n, "%s", path);
			if (n >= outsz)
				n = outsz - 1;
		} else
			out[n++] = *p;
	}
	out[n] = '\0';
}

static void
clear_env(void)
{
	for (size_t i = 0; i < NELEM(vars); i++)
		unsetenv(vars[i]);
}

static void
set_env(const char *const *env)
{
	char	 name[64];
	const char *eq;

	for (size_t i = 0; i < ENV_MAX && env[i] != NULL; i++) {
		eq = strchr(env[i], '=');
		ck_assert(eq != NULL && (size_t)(eq - env[i]) < sizeof(name));
		memcpy(name, env[i], (size_t)(eq - env[i]));
		name[eq - env[i]] = '\0';
		setenv(name, eq + 1, 1);
	}
}

START_TEST(test_rows)
{
	const struct row *r = &rows[_i];
	struct conf	*c;
	char		 path[] = "/tmp/check_conf.XXXXXX";
	char		 want[CONF_MSG_MAX];
	const char	*explicit = NULL, *dflt = NULL;
	size_t		 nerrs;
	int		 fd, rc;

	clear_env();
	set_env(r->env);
	if (r->text != NULL) {
		ck_assert((fd = mkstemp(path)) != -1);
		if (r->text == NOFILE) {
			close(fd);
			unlink(path);
		} else {
			ck_assert(write(fd, r->text, strlen(r->text)) ==
			    (ssize_t)strlen(r->text));
			close(fd);
		}
		if (r->explicit)
			explicit = path;
		else if (r->via_env)
			setenv("KEYFIELD_CONFIG", path, 1);
		else
			dflt = path;
	}
	ck_assert((c = calloc(1, sizeof(*c))) != NULL);
	rc = conf_load_paths(c, explicit, dflt);
	if (r->text != NULL && r->text != NOFILE)
		unlink(path);
	for (nerrs = 0; nerrs < ERRS_MAX && r->errs[nerrs] != NULL; nerrs++)
		continue;
	ck_assert_msg(rc == r->rc, "%s: rc %d, want %d (first problem: %s)",
	    r->name, rc, r->rc, c->nerrors ? c->errors[0] : "none");
	ck_assert_msg(c->nerrors == nerrs, "%s: %zu problems, want %zu",
	    r->name, c->nerrors, nerrs);
	for (size_t i = 0; i < nerrs; i++) {
		expand(want, sizeof(want), r->errs[i], path);
		ck_assert_msg(strcmp(c->errors[i], want) == 0,
		    "%s: problem %zu\n  got  %s\n  want %s", r->name, i,
		    c->errors[i], want);
	}
	if (rc == 0) {
		ck_assert_str_eq(c->database, r->database ? r->database :
		    CONF_DEFAULT_DATABASE);
		ck_assert_str_eq(c->base_url, r->base_url ? r->base_url :
		    CONF_DEFAULT_BASE_URL);
		ck_assert_str_eq(c->forms_dir, r->forms_dir ? r->forms_dir :
		    "");
		ck_assert_str_eq(c->ca_file, r->ca_file ? r->ca_file : "");
		ck_assert_int_eq(c->log_level, r->log_level);
		ck_assert_str_eq(c->path, r->text != NULL &&
		    r->text != NOFILE ? path : "");
	}
	free(c);
	clear_env();
}
END_TEST

/* A line of CONF_LINE_MAX - 1 bytes is read; one byte more is refused. */
START_TEST(test_long_lines)
{
	static const size_t	 lens[] = { CONF_LINE_MAX - 1, CONF_LINE_MAX,
	    CONF_LINE_MAX * 3 };
	struct conf	*c;
	char		 path[] = "/tmp/check_conf.XXXXXX", want[CONF_MSG_MAX];
	char		*text;
	size_t		 len = lens[_i], pre;
	FILE		*f;
	int		 fd, rc;

	clear_env();
	ck_assert((text = malloc(len + 1)) != NULL);
	pre = strlen("database = /");
	memcpy(text, "database = /", pre);
	memset(text + pre, 'a', len - pre);
	text[len] = '\0';
	ck_assert((fd = mkstemp(path)) != -1);
	ck_assert((f = fdopen(fd, "w")) != NULL);
	/* The long line, then a good line that must still be read. */
	fprintf(f, "%s\nlog_level = debug\n", text);
	fclose(f);
	ck_assert((c = calloc(1, sizeof(*c))) != NULL);
	rc = conf_load_paths(c, path, NULL);
	unlink(path);
	if (len < CONF_LINE_MAX) {
		ck_assert_int_eq(rc, 0);
		ck_assert_uint_eq(strlen(c->database), len - pre + 1);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_uint_eq(c->nerrors, 1);
		snprintf(want, sizeof(want), "%s:1: line longer than %d bytes",
		    path, CONF_LINE_MAX - 1);
		ck_assert_str_eq(c->errors[0], want);
	}
	ck_assert_int_eq(c->log_level, LOG_DEBUG);
	free(c);
	free(text);
}
END_TEST

/* A NUL byte in a line is refused; the next line is still read. */
START_TEST(test_nul_byte)
{
	static const char text[] = "database = /a\0b.db\nlog_level = warn\n";
	struct conf	*c;
	char		 path[] = "/tmp/check_conf.XXXXXX", want[CONF_MSG_MAX];
	int		 fd;

	clear_env();
	ck_assert((fd = mkstemp(path)) != -1);
	ck_assert(write(fd, text, sizeof(text) - 1) ==
	    (ssize_t)(sizeof(text) - 1));
	close(fd);
	ck_assert((c = calloc(1, sizeof(*c))) != NULL);
	ck_assert_int_eq(conf_load_paths(c, path, NULL), -1);
	unlink(path);
	ck_assert_uint_eq(c->nerrors, 1);
	snprintf(want, sizeof(want), "%s:1: NUL byte in the line", path);
	ck_assert_str_eq(c->errors[0], want);
	ck_assert_int_eq(c->log_level, LOG_WARN);
	free(c);
}
END_TEST

/* More problems than kept: all counted, the first CONF_ERRORS_MAX kept. */
START_TEST(test_many_problems)
{
	struct conf	*c;
	char		 path[] = "/tmp/check_conf.XXXXXX";
	FILE		*f;
	int		 fd;

	clear_env();
	ck_assert((fd = mkstemp(path)) != -1);
	ck_assert((f = fdopen(fd, "w")) != NULL);
	for (int i = 0; i < CONF_ERRORS_MAX + 5; i++)
		fprintf(f, "bad%d = 1\n", i);
	fclose(f);
	ck_assert((c = calloc(1, sizeof(*c))) != NULL);
	ck_assert_int_eq(conf_load_paths(c, path, NULL), -1);
	unlink(path);
	ck_assert_uint_eq(c->nerrors, CONF_ERRORS_MAX + 5);
	ck_assert(strstr(c->errors[CONF_ERRORS_MAX - 1], "unknown key") !=
	    NULL);
	free(c);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("conf");
	TCase	*tc = tcase_create("conf");

	tcase_add_loop_test(tc, test_rows, 0, (int)NELEM(rows));
	tcase_add_loop_test(tc, test_long_lines, 0, 3);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_many_problems);
	suite_add_tcase(s, tc);
	return check_run(s);
}
