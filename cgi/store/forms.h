/*
 * store/forms: the form definitions (forms): each imported version of a
 * form, checked before it comes here, kept as its JSON text.
 */
#ifndef KEYFIELD_STORE_FORMS_H
#define KEYFIELD_STORE_FORMS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct store_form {
	int64_t	 id;
	char	*name;
	int	 version;
	char	*definition;
};

/*
 * Import a checked definition: a new row when (name, version) is new,
 * nothing when the same definition is already there, 1 when the version
 * exists with a different definition. 0, 1 or -1.
 */
int		 store_form_import(struct store *, const char *name,
		    int version, const char *definition, int64_t *id);
/* Every form version, oldest first; *n entries. 0 or -1. */
int		 store_forms(struct store *, struct store_form **, size_t *n);
void		 store_forms_free(struct store_form *, size_t n);

#endif
