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

/* libcurl's debug callback: keep the server's last reply line. */
static int
trace(CURL *c, curl_infotype type, char *data, size_t size, void *arg)
{
	struct smtp	*sm = arg;
	size_t		 n;

	(void)c;
	if (type != CURLINFO_HEADER_IN)
		return 0;
	for (n = 0; n < size && data[n] != '\r' && data[n] != '\n'; n++)
		continue;
	if (n >= sizeof(sm->last))
		n = sizeof(sm->last) - 1;
	memcpy(sm->last, data, n);
	sm->last[n] = '\0';
	for (char *p = sm->last; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	return 0;
}

/* The options every message shares: 0 or -1 (logged). */
static int
setup(struct smtp *sm, const struct conf *conf)
{
	CURL	*c = sm->curl;
	int	 bad = 0;

	bad |= curl_easy_setopt(c, CURLOPT_URL, conf->smtp_url);
	bad |= curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
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
smtp_open(const struct conf *conf)
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

/* r from libcurl's cc and the last reply. */
static void
outcome(struct smtp *sm, CURLcode cc, const char *err,
    struct smtp_result *r)
{
	long	 code = 0;

	curl_easy_getinfo(sm->curl, CURLINFO_RESPONSE_CODE, &code);
	r->code = (int)code;
	r->sent = cc == CURLE_OK;
	r->permanent = !r->sent && code >= 500 && code <= 599;
	r->rcpt = r->permanent && strncmp(err, "RCPT", 4) == 0;
	if (r->sent)
		smtp_text(r->text, sizeof(r->text), "%s", sm->last);
	else if (code >= 400 && *sm->last != '\0')
		smtp_text(r->text, sizeof(r->text), "%s (%s)", sm->last,
		    *err != '\0' ? err : curl_easy_strerror(cc));
	else
		smtp_text(r->text, sizeof(r->text), "%s", *err != '\0' ? err :
		    curl_easy_strerror(cc));
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
	sm->last[0] = '\0';
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
