/*
 * notify/smtp: one message, one recipient, over SMTP with libcurl.
 * Never sends a byte without TLS, never logs the password or a message.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "base/buf.h"
#include "base/conf.h"
#include "base/log.h"
#include "notify/smtp.h"

struct smtp {
	CURL		*curl;
	char		 password[SMTP_PASSWORD_MAX];
	char		 last[STORE_MAIL_TEXT_MAX];	/* last reply line */
	char		 bad[STORE_MAIL_TEXT_MAX];	/* first 4xx/5xx */
	bool		(*cancel)(void *);
	void		*cancel_arg;
	const char	*msg;		/* the upload */
	size_t		 len, off;
};

void
smtp_text(char *out, size_t outsz, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	if (buf_vfmt(out, outsz, fmt, ap) == -1)
		buf_mark_cut(out, outsz);
	va_end(ap);
}

/* The first line of path into out[SMTP_PASSWORD_MAX]: 0 or -1 (logged). */
static int
read_password(const char *path, char *out)
{
	FILE	*f;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		log_err("smtp_password_file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fgets(out, SMTP_PASSWORD_MAX, f) == NULL)
		out[0] = '\0';
	fclose(f);
	n = strcspn(out, "\r\n");
	out[n] = '\0';
	if (n == 0) {
		log_err("smtp_password_file %s: no password on its first "
		    "line", path);
		return -1;
	}
	return 0;
}

/* libcurl's read callback: the message, in pieces. */
static size_t
upload(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct smtp	*sm = arg;
	size_t		 n = size * nmemb;

	if (n > sm->len - sm->off)
		n = sm->len - sm->off;
	memcpy(dst, sm->msg + sm->off, n);
	sm->off += n;
	return n;
}

/* The first line of data[size] into out[STORE_MAIL_TEXT_MAX], printable. */
static void
reply_line(char *out, const char *data, size_t size)
{
	size_t	 n;

	for (n = 0; n < size && data[n] != '\r' && data[n] != '\n'; n++)
		continue;
	if (n >= STORE_MAIL_TEXT_MAX)
		n = STORE_MAIL_TEXT_MAX - 1;
	memcpy(out, data, n);
	out[n] = '\0';
	for (char *p = out; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
}

/*
 * libcurl's debug callback: keep the server's last reply line and its
 * first refusal (4xx, 5xx: the QUIT after it answers 221).
 */
static int
trace(CURL *c, curl_infotype type, char *data, size_t size, void *arg)
{
	struct smtp	*sm = arg;

	(void)c;
	if (type != CURLINFO_HEADER_IN || size == 0)
		return 0;
	reply_line(sm->last, data, size);
	if (*sm->bad == '\0' && (data[0] == '4' || data[0] == '5'))
		reply_line(sm->bad, data, size);
	return 0;
}

/* libcurl's progress callback: end the transfer when asked to. */
static int
progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	struct smtp	*sm = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return sm->cancel != NULL && sm->cancel(sm->cancel_arg) ? 1 : 0;
}

/* The options every message shares: 0 or -1 (logged). */
static int
setup(struct smtp *sm, const struct conf *conf)
{
	CURL	*c = sm->curl;
	int	 bad = 0;

	bad |= curl_easy_setopt(c, CURLOPT_URL, conf->smtp_url);
	/* TLS or nothing; in clear only to loopback (conf checks that). */
	bad |= curl_easy_setopt(c, CURLOPT_USE_SSL, conf->smtp_plain ?
	    (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
	bad |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	bad |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
	    (long)SMTP_CONNECT_S);
	bad |= curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	bad |= curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)SMTP_STALL_S);
	bad |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	bad |= curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	bad |= curl_easy_setopt(c, CURLOPT_READFUNCTION, upload);
	bad |= curl_easy_setopt(c, CURLOPT_READDATA, sm);
	bad |= curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, trace);
	bad |= curl_easy_setopt(c, CURLOPT_DEBUGDATA, sm);
	bad |= curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	bad |= curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress);
	bad |= curl_easy_setopt(c, CURLOPT_XFERINFODATA, sm);
	bad |= curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	if (*conf->smtp_ca_file != '\0')
		bad |= curl_easy_setopt(c, CURLOPT_CAINFO, conf->smtp_ca_file);
	if (*conf->smtp_user != '\0') {
		bad |= curl_easy_setopt(c, CURLOPT_USERNAME, conf->smtp_user);
		bad |= curl_easy_setopt(c, CURLOPT_PASSWORD, sm->password);
	}
	if (bad != 0) {
		log_err("curl_easy_setopt: an SMTP option is not supported "
		    "by this libcurl");
		return -1;
	}
	return 0;
}

struct smtp *
smtp_open(const struct conf *conf, bool (*cancel)(void *), void *arg)
{
	struct smtp	*sm;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_err("curl_global_init failed");
		return NULL;
	}
	if ((sm = calloc(1, sizeof(*sm))) == NULL) {
		log_err("calloc: %s", strerror(errno));
		goto fail;
	}
	sm->cancel = cancel;
	sm->cancel_arg = arg;
	if (*conf->smtp_password_file != '\0' &&
	    read_password(conf->smtp_password_file, sm->password) == -1)
		goto fail;
	if ((sm->curl = curl_easy_init()) == NULL) {
		log_err("curl_easy_init failed");
		goto fail;
	}
	if (setup(sm, conf) == -1)
		goto fail;
	return sm;
fail:
	smtp_close(sm);
	if (sm == NULL)
		curl_global_cleanup();
	return NULL;
}

void
smtp_close(struct smtp *sm)
{
	if (sm == NULL)
		return;
	if (sm->curl != NULL)
		curl_easy_cleanup(sm->curl);
	sodium_memzero(sm->password, sizeof(sm->password));
	free(sm);
	curl_global_cleanup();
}

/* The reply code that starts line, or 0. */
static int
reply_code(const char *line)
{
	if (line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '9' ||
	    line[2] < '0' || line[2] > '9')
		return 0;
	return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

/* r from libcurl's cc, the replies and its error text err. */
static void
outcome(struct smtp *sm, CURLcode cc, const char *err,
    struct smtp_result *r)
{
	const char	*why = *err != '\0' ? err : curl_easy_strerror(cc);

	r->sent = cc == CURLE_OK;
	if (r->sent) {
		r->code = reply_code(sm->last);
		smtp_text(r->text, sizeof(r->text), "%s", sm->last);
		return;
	}
	r->code = reply_code(sm->bad);
	r->permanent = r->code >= 500;
	r->rcpt = r->permanent && strncmp(err, "RCPT", 4) == 0;
	if (r->code != 0)
		smtp_text(r->text, sizeof(r->text), "%s (%s)", sm->bad, why);
	else
		smtp_text(r->text, sizeof(r->text), "%s", why);
}

int
smtp_send(struct smtp *sm, const char *from, const char *rcpt,
    const char *msg, size_t len, struct smtp_result *r)
{
	struct curl_slist	 one = { .data = (char *)rcpt, .next = NULL };
	char			 err[CURL_ERROR_SIZE];
	CURLcode		 cc;

	memset(r, 0, sizeof(*r));
	err[0] = '\0';
	sm->last[0] = sm->bad[0] = '\0';
	sm->msg = msg;
	sm->len = len;
	sm->off = 0;
	if (curl_easy_setopt(sm->curl, CURLOPT_MAIL_FROM, from) != CURLE_OK ||
	    curl_easy_setopt(sm->curl, CURLOPT_MAIL_RCPT, &one) != CURLE_OK ||
	    curl_easy_setopt(sm->curl, CURLOPT_ERRORBUFFER, err) !=
	    CURLE_OK ||
	    curl_easy_setopt(sm->curl, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)len) != CURLE_OK) {
		log_err("curl_easy_setopt: cannot set the envelope");
		smtp_text(r->text, sizeof(r->text), "cannot set the envelope");
		return -1;
	}
	cc = curl_easy_perform(sm->curl);
	outcome(sm, cc, err, r);
	curl_easy_setopt(sm->curl, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(sm->curl, CURLOPT_ERRORBUFFER, NULL);
	return 0;
}
