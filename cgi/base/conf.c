/*
 * conf: read keyfield.conf(5) and the KEYFIELD_* variables into a struct.
 * Never exits, never prints on its own: problems go to conf->errors.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/conf.h"
#include "base/limit.h"
#include "base/log.h"

enum conf_key {
	CONF_DATABASE,
	CONF_BASE_URL,
	CONF_LOG_LEVEL,
	CONF_FORMS_DIR,
	CONF_CA_FILE,
	CONF_SECRET_KEY_FILE,
	CONF_SMTP_URL,
	CONF_SMTP_PLAIN,
	CONF_SMTP_USER,
	CONF_SMTP_PASSWORD_FILE,
	CONF_SMTP_CA_FILE,
	CONF_MAIL_FROM,
	CONF_MAIL_REPLY_TO,
	CONF_MAIL_PER_MINUTE,
	CONF_MAIL_DIR,
	CONF_KEY__MAX
};

typedef int (*setter)(struct conf *, const char *, const char **why);

static int	 set_database(struct conf *, const char *, const char **);
static int	 set_base_url(struct conf *, const char *, const char **);
static int	 set_log_level(struct conf *, const char *, const char **);
static int	 set_forms_dir(struct conf *, const char *, const char **);
static int	 set_ca_file(struct conf *, const char *, const char **);
static int	 set_secret_key_file(struct conf *, const char *,
		    const char **);
static int	 set_smtp_url(struct conf *, const char *, const char **);
static int	 set_smtp_plain(struct conf *, const char *, const char **);
static int	 set_smtp_user(struct conf *, const char *, const char **);
static int	 set_smtp_password_file(struct conf *, const char *,
		    const char **);
static int	 set_smtp_ca_file(struct conf *, const char *, const char **);
static int	 set_mail_from(struct conf *, const char *, const char **);
static int	 set_mail_reply_to(struct conf *, const char *, const char **);
static int	 set_mail_per_minute(struct conf *, const char *,
		    const char **);
static int	 set_mail_dir(struct conf *, const char *, const char **);
static bool	 origin_ok(const char *);

static const struct {
	const char	*name;	/* in the file */
	const char	*env;	/* the variable that overrides it, or NULL */
	setter		 set;	/* check and store; 0, or -1 with *why */
} keys[] = {
	[CONF_DATABASE] = { "database", "KEYFIELD_DB", set_database },
	[CONF_BASE_URL] = { "base_url", "KEYFIELD_BASE_URL", set_base_url },
	[CONF_LOG_LEVEL] = { "log_level", "KEYFIELD_LOG_LEVEL",
	    set_log_level },
	[CONF_FORMS_DIR] = { "forms_dir", "KEYFIELD_FORMS", set_forms_dir },
	[CONF_CA_FILE] = { "ca_file", "KEYFIELD_CA_FILE", set_ca_file },
	[CONF_SECRET_KEY_FILE] = { "secret_key_file",
	    "KEYFIELD_SECRET_KEY_FILE", set_secret_key_file },
	[CONF_SMTP_URL] = { "smtp_url", "KEYFIELD_SMTP_URL", set_smtp_url },
	[CONF_SMTP_PLAIN] = { "smtp_plain", NULL, set_smtp_plain },
	[CONF_SMTP_USER] = { "smtp_user", NULL, set_smtp_user },
	[CONF_SMTP_PASSWORD_FILE] = { "smtp_password_file", NULL,
	    set_smtp_password_file },
	[CONF_SMTP_CA_FILE] = { "smtp_ca_file", "KEYFIELD_SMTP_CA_FILE",
	    set_smtp_ca_file },
	[CONF_MAIL_FROM] = { "mail_from", NULL, set_mail_from },
	[CONF_MAIL_REPLY_TO] = { "mail_reply_to", NULL, set_mail_reply_to },
	[CONF_MAIL_PER_MINUTE] = { "mail_per_minute", NULL,
	    set_mail_per_minute },
	[CONF_MAIL_DIR] = { "mail_dir", NULL, set_mail_dir },
};
_Static_assert(sizeof(keys) / sizeof(keys[0]) == CONF_KEY__MAX,
    "one entry per conf key");

static void
problem(struct conf *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
problem(struct conf *c, const char *fmt, ...)
{
	va_list	 ap;

	if (c->nerrors < CONF_ERRORS_MAX) {
		va_start(ap, fmt);
		if (buf_vfmt(c->errors[c->nerrors], CONF_MSG_MAX, fmt,
		    ap) == -1)
			buf_mark_cut(c->errors[c->nerrors], CONF_MSG_MAX);
		va_end(ap);
	}
	c->nerrors++;
}

/* A path: not empty, no control characters, fits. */
static int
copy_path(char *dst, const char *v, const char **why)
{
	if (*v == '\0') {
		*why = "empty value";
		return -1;
	}
	if (strlen(v) >= CONF_VALUE_MAX) {
		*why = "value too long";
		return -1;
	}
	for (const char *p = v; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			*why = "control character in a path";
			return -1;
		}
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int
set_database(struct conf *c, const char *v, const char **why)
{
	return copy_path(c->database, v, why);
}

static int
set_forms_dir(struct conf *c, const char *v, const char **why)
{
	return copy_path(c->forms_dir, v, why);
}

static int
set_ca_file(struct conf *c, const char *v, const char **why)
{
	return copy_path(c->ca_file, v, why);
}

static int
set_secret_key_file(struct conf *c, const char *v, const char **why)
{
	return copy_path(c->secret_key_file, v, why);
}

static int
set_smtp_password_file(struct conf *c, const char *v, const char **why)
{
	return copy_path(c->smtp_password_file, v, why);
}

static int
set_smtp_ca_file(struct conf *c, const char *v, const char **why)
{
	return copy_path(c->smtp_ca_file, v, why);
}

static int
set_mail_dir(struct conf *c, const char *v, const char **why)
{
	return copy_path(c->mail_dir, v, why);
}

/* A user name: printable ASCII, no blanks (it goes to AUTH as it is). */
static int
set_smtp_user(struct conf *c, const char *v, const char **why)
{
	for (const char *p = v; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f) {
			*why = "a blank, control or non-ASCII character";
			return -1;
		}
	return copy_path(c->smtp_user, v, why);
}

#define NOT_ADDRESS	"not a plain e-mail address (one at sign; no blanks, " \
	"quotes, brackets or commas)"

/* An address: local@domain of printable ASCII, no blanks or specials. */
static int
copy_address(char *dst, const char *v, const char **why)
{
	const char	*at = strchr(v, '@');

	if (at == NULL || at == v || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || strlen(v) > CONF_ADDRESS_MAX ||
	    strpbrk(v, "\"(),:;<>[\\] ") != NULL) {
		*why = NOT_ADDRESS;
		return -1;
	}
	for (const char *p = v; *p != '\0'; p++)
		if (*p < 0x20 || *p >= 0x7f) {
			*why = NOT_ADDRESS;
			return -1;
		}
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int
set_mail_from(struct conf *c, const char *v, const char **why)
{
	return copy_address(c->mail_from, v, why);
}

static int
set_mail_reply_to(struct conf *c, const char *v, const char **why)
{
	return copy_address(c->mail_reply_to, v, why);
}

static int
set_mail_per_minute(struct conf *c, const char *v, const char **why)
{
	long	 n = 0;

	for (const char *p = v; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || n > CONF_MAIL_PER_MINUTE_MAX) {
			n = -1;
			break;
		}
		n = n * 10 + (*p - '0');
	}
	if (*v == '\0' || n < 1 || n > CONF_MAIL_PER_MINUTE_MAX) {
		*why = "not a number of messages from 1 to "
		    LIMIT_STR(CONF_MAIL_PER_MINUTE_MAX);
		return -1;
	}
	c->mail_per_minute = (int)n;
	return 0;
}

/*
 * "smtp://host[:port]" (STARTTLS required) or "smtps://host[:port]"
 * (TLS from the start); host a name, IPv4 or [IPv6]; nothing after.
 */
static int
set_smtp_url(struct conf *c, const char *v, const char **why)
{
	char	 as_http[CONF_VALUE_MAX + 8];

	*why = "not smtp://host:587 (STARTTLS) or smtps://host:465";
	if (strlen(v) >= CONF_VALUE_MAX)
		return -1;
	if (strncmp(v, "smtps://", 8) == 0) {
		if (buf_fmt(as_http, sizeof(as_http), "https://%s",
		    v + 8) == -1)
			return -1;
	} else if (strncmp(v, "smtp://", 7) == 0) {
		if (buf_fmt(as_http, sizeof(as_http), "http://%s",
		    v + 7) == -1)
			return -1;
	} else
		return -1;
	if (!origin_ok(as_http))	/* the same host and port rules */
		return -1;
	memcpy(c->smtp_url, v, strlen(v) + 1);
	return 0;
}

static int
set_smtp_plain(struct conf *c, const char *v, const char **why)
{
	if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0) {
		*why = "not yes or no";
		return -1;
	}
	c->smtp_plain = strcmp(v, "yes") == 0;
	return 0;
}

/* Is url smtp:// to a loopback address (what smtp_plain may talk to)? */
static bool
smtp_loopback(const char *url)
{
	static const char *const hosts[] = { "smtp://127.0.0.1",
	    "smtp://[::1]", "smtp://localhost" };
	size_t	 n;

	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		n = strlen(hosts[i]);
		if (strncmp(url, hosts[i], n) == 0 &&
		    (url[n] == '\0' || url[n] == ':'))
			return true;
	}
	return false;
}

static bool
host_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.';
}

/* "http(s)://host[:port]" or "http(s)://[v6]:port", nothing after. */
static bool
origin_ok(const char *v)
{
	const char	*p;
	long		 port = 0;
	size_t		 ndigits = 0;

	if (strncmp(v, "https://", 8) == 0)
		p = v + 8;
	else if (strncmp(v, "http://", 7) == 0)
		p = v + 7;
	else
		return false;
	if (*p == '[') {
		for (p++; (*p >= '0' && *p <= '9') || (*p >= 'a' &&
		    *p <= 'f') || (*p >= 'A' && *p <= 'F') || *p == ':' ||
		    *p == '.'; p++)
			continue;
		if (*p++ != ']' || p[-2] == '[')
			return false;
	} else {
		if (!host_char(*p))
			return false;
		while (host_char(*p))
			p++;
	}
	if (*p == ':') {
		for (p++; *p >= '0' && *p <= '9' && ndigits < 6; p++) {
			port = port * 10 + (*p - '0');
			ndigits++;
		}
		if (ndigits == 0 || port < 1 || port > 65535)
			return false;
	}
	return *p == '\0';
}

static int
set_base_url(struct conf *c, const char *v, const char **why)
{
	if (strlen(v) >= CONF_VALUE_MAX || !origin_ok(v)) {
		*why = "not an origin like https://survey.example.org "
		    "(scheme, host and an optional port; no path, no "
		    "trailing slash)";
		return -1;
	}
	memcpy(c->base_url, v, strlen(v) + 1);
	c->base_url_set = true;
	return 0;
}

static int
set_log_level(struct conf *c, const char *v, const char **why)
{
	int	 level;

	if ((level = log_level_parse(v)) < 0) {
		*why = "not one of error, warn, info, debug";
		return -1;
	}
	c->log_level = level;
	return 0;
}

static char *
trim(char *s)
{
	char	*end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static int
find_key(const char *name)
{
	for (int k = 0; k < CONF_KEY__MAX; k++)
		if (strcmp(keys[k].name, name) == 0)
			return k;
	return -1;
}

/* One line (no newline); lineno counts from 1. */
static void
parse_line(struct conf *c, const char *file, int lineno, char *line,
    int seen[])
{
	const char	*why;
	char		*eq, *key, *val;
	int		 k;

	key = trim(line);
	if (*key == '\0' || *key == '#')
		return;
	if ((eq = strchr(key, '=')) == NULL) {
		problem(c, "%s:%d: expected \"key = value\"", file, lineno);
		return;
	}
	*eq = '\0';
	key = trim(key);
	val = trim(eq + 1);
	if (*key == '\0') {
		problem(c, "%s:%d: expected \"key = value\"", file, lineno);
		return;
	}
	if ((k = find_key(key)) == -1) {
		problem(c, "%s:%d: unknown key \"%.64s\"", file, lineno, key);
		return;
	}
	if (seen[k] != 0) {
		problem(c, "%s:%d: %s is set twice (first on line %d)", file,
		    lineno, key, seen[k]);
		return;
	}
	seen[k] = lineno;
	if (keys[k].set(c, val, &why) == -1)
		problem(c, "%s:%d: %s: %s", file, lineno, key, why);
}

/*
 * Read one line into line (CONF_LINE_MAX bytes with the NUL) without its
 * newline. Returns 1 for a line, 0 at the end, -1 for a line too long
 * (skipped), -2 for a line with a NUL byte (read whole).
 */
static int
get_line(FILE *f, char *line)
{
	size_t	 n = 0;
	int	 ch, rc = 1;

	if ((ch = fgetc(f)) == EOF)
		return 0;
	for (; ch != EOF && ch != '\n'; ch = fgetc(f)) {
		if (ch == '\0')
			rc = -2;
		if (n + 1 >= CONF_LINE_MAX) {
			rc = -1;
			continue;
		}
		line[n++] = (char)ch;
	}
	line[n] = '\0';
	return rc;
}

/* Read path; a missing file is a problem only when required. */
static void
read_file(struct conf *c, const char *path, bool required)
{
	char	 line[CONF_LINE_MAX];
	int	 seen[CONF_KEY__MAX] = { 0 };
	int	 lineno = 0, rc;
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL) {
		if (errno != ENOENT || required)
			problem(c, "%s: %s", path, strerror(errno));
		return;
	}
	if (buf_fmt(c->path, sizeof(c->path), "%s", path) == -1) {
		problem(c, "the config file's path is longer than %d bytes",
		    CONF_VALUE_MAX - 1);
		c->path[0] = '\0';
		fclose(f);
		return;
	}
	while ((rc = get_line(f, line)) != 0) {
		lineno++;
		if (rc == -1)
			problem(c, "%s:%d: line longer than %d bytes", path,
			    lineno, CONF_LINE_MAX - 1);
		else if (rc == -2)
			problem(c, "%s:%d: NUL byte in the line", path,
			    lineno);
		else
			parse_line(c, path, lineno, line, seen);
	}
	if (ferror(f))
		problem(c, "%s: %s", path, strerror(errno));
	fclose(f);
}

static void
defaults(struct conf *c)
{
	_Static_assert(sizeof(CONF_DEFAULT_DATABASE) <= CONF_VALUE_MAX,
	    "the default database fits");
	_Static_assert(sizeof(CONF_DEFAULT_BASE_URL) <= CONF_VALUE_MAX,
	    "the default base URL fits");

	memset(c, 0, sizeof(*c));
	memcpy(c->database, CONF_DEFAULT_DATABASE,
	    sizeof(CONF_DEFAULT_DATABASE));
	memcpy(c->base_url, CONF_DEFAULT_BASE_URL,
	    sizeof(CONF_DEFAULT_BASE_URL));
	_Static_assert(sizeof(CONF_DEFAULT_MAIL_FROM) <= CONF_ADDRESS_MAX,
	    "the default sender fits");
	memcpy(c->mail_from, CONF_DEFAULT_MAIL_FROM,
	    sizeof(CONF_DEFAULT_MAIL_FROM));
	c->mail_per_minute = CONF_DEFAULT_MAIL_PER_MINUTE;
	c->log_level = -1;
}

int
conf_load_paths(struct conf *c, const char *explicit_path,
    const char *default_path)
{
	const char	*v, *why;

	defaults(c);
	if (explicit_path == NULL || *explicit_path == '\0') {
		explicit_path = getenv("KEYFIELD_CONFIG");
		if (explicit_path != NULL && *explicit_path == '\0')
			explicit_path = NULL;
	}
	if (explicit_path != NULL)
		read_file(c, explicit_path, true);
	else if (default_path != NULL)
		read_file(c, default_path, false);
	for (int k = 0; k < CONF_KEY__MAX; k++) {
		if (keys[k].env == NULL || (v = getenv(keys[k].env)) == NULL ||
		    *v == '\0')
			continue;
		if (keys[k].set(c, v, &why) == -1)
			problem(c, "$%s: %s", keys[k].env, why);
	}
	if (c->smtp_plain && !smtp_loopback(c->smtp_url))
		problem(c, "smtp_plain = yes is only for smtp_url = smtp:// to "
		    "127.0.0.1, [::1] or localhost: mail to another host is "
		    "never sent in clear");
	return c->nerrors == 0 ? 0 : -1;
}

int
conf_load(struct conf *c, const char *explicit_path)
{
	return conf_load_paths(c, explicit_path, CONF_DEFAULT_PATH);
}

void
conf_report(const struct conf *c, const char *prog)
{
	size_t	 n = c->nerrors < CONF_ERRORS_MAX ? c->nerrors :
	    CONF_ERRORS_MAX;

	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s: %s\n", prog, c->errors[i]);
	if (c->nerrors > n)
		fprintf(stderr, "%s: ... and %zu more problems\n", prog,
		    c->nerrors - n);
}
