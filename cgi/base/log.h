/*
 * log: one line per event to stderr (journald or the quickstart log).
 * Callers must never pass a token, a session id, a password or a secret.
 */
#ifndef KEYFIELD_LOG_H
#define KEYFIELD_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG, LOG_LEVEL__MAX };

/* Name the program in every line; set the most verbose level printed. */
void	 log_init(const char *prog, enum log_level);
/* Parse "error", "warn", "info" or "debug"; -1 for anything else. */
int	 log_level_parse(const char *);
void	 log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

#define LOG_HELD_MAX	16384	/* bytes of lines held, at most */

/* Lines held to be written together (one write(2) for many). */
struct log_held {
	char	 buf[LOG_HELD_MAX];
	size_t	 len;
};

/*
 * Hold a line as the log_* function of that level would write it (or
 * nothing when the level is not printed); lines that would not fit are
 * written first. log_flush writes what is held, in order. With no
 * struct log_held (NULL) the line is written at once.
 */
void	 log_hold(struct log_held *, enum log_level, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 log_flush(struct log_held *);

#endif
