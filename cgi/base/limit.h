/*
 * limit: how a message states a limit. A limit is a macro of one decimal
 * number next to the check that enforces it; LIMIT_STR(NAME) is that
 * number as a string literal, so "at most " LIMIT_STR(X_MAX) " rows"
 * changes with the constant instead of repeating it.
 */
#ifndef KEYFIELD_LIMIT_H
#define KEYFIELD_LIMIT_H

#define LIMIT_STR_(x)	#x
/* The decimal text of a limit defined as one number (not an expression). */
#define LIMIT_STR(x)	LIMIT_STR_(x)

#endif
