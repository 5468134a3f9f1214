/*
 * cli/backup: keyfield backup FILE, an online copy of the database that
 * writers need not stop for. Never leaves FILE half-written: the copy is
 * made beside it and renamed only when whole and checked.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "store/backup.h"
#include "store/secrets.h"

static int
cmd_backup(struct cli *cli, int argc, char **argv)
{
	struct store_backup_stats st;
	struct store	*s;
	int		 rc;

	if (argc != 2)
		return cli_fail("usage: keyfield [--db FILE] backup FILE");
	if ((s = cli_store(cli)) == NULL)
		return 1;
	rc = store_backup(s, argv[1], &st);
	if (rc == -1)
		return cli_fail("backup of %s to %s failed (see above)",
		    cli->db_path, argv[1]);
	if (rc == 1)
		return cli_fail("the copy of %s fails its integrity check: %s; "
		    "%s was not written", cli->db_path, st.integrity, argv[1]);
	printf("backup: %s: %d pages, %d steps, %d restarts, %d busy "
	    "retries, %ld ms; integrity_check: %s\n", argv[1], st.pages,
	    st.steps, st.restarts, st.busy, st.ms, st.integrity);
	return 0;
}

/* keyfield secrets rotate NEWKEYFILE */
static int
cmd_rotate(struct cli *cli, int argc, char **argv)
{
	struct store	*s;

	if (argc != 2)
		return cli_fail("usage: keyfield [--db FILE] secrets rotate "
		    "NEWKEYFILE");
	if ((s = cli_store(cli)) == NULL)
		return 1;
	if (store_secrets_rekey(s, argv[1]) == -1)
		return cli_fail("partner secrets not rotated (see above); "
		    "nothing changed");
	printf("partner secrets are now sealed with %s: set secret_key_file "
	    "to it (or move it over the old key), restart keyfield-admin "
	    "and keyfield-notify, then delete the old key\n", argv[1]);
	return 0;
}

const struct cli_cmd cli_backup_cmds[] = {
	{ "backup", cmd_backup, "FILE",
	    "Copy the database to FILE while it is in use, then check the "
	    "copy." },
	{ "secrets rotate", cmd_rotate, "NEWKEYFILE",
	    "Make a new secret key in NEWKEYFILE (0600) and seal every "
	    "partner secret with it instead of the current one." },
	{ NULL, NULL, NULL, NULL },
};
