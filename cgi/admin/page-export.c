/*
 * admin/page-export: a campaign's export as a download. The writer
 * (export.c) streams into a temporary file that admin/main.c then sends.
 * Never sends a file name that has not gone through export_filename.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "admin/console.h"
#include "base/i18n.h"
#include "app/export.h"
#include "base/i18n.h"
#include "base/log.h"
#include "store/campaigns.h"

int
admin_export(struct admin_ctx *ctx, struct page *p, const char *slug,
    const char *format)
{
	struct store_campaign	 c;
	struct export_opts	 opts = { 0 };
	FILE			*f;
	int			 fmt, rc;

	if ((fmt = export_format_parse(format)) < 0)
		return admin_error(p, ctx, 404, tr(ctx->lang, "No such "
		    "format"), tr(ctx->lang, "Downloads are csv, csv-long, "
		    "json, xlsx and md."));
	if ((rc = admin_campaign_find(ctx, p, slug, &c)) != 0)
		return rc == 1 ? 0 : -1;
	opts.bom = req_field(ctx->req, "bom") != NULL;
	if ((opts.delim = export_delimiter_parse(req_field(ctx->req,
	    "delimiter"))) == 0)
		return admin_error(p, ctx, 400, tr(ctx->lang, "No such "
		    "delimiter"), tr(ctx->lang, "A CSV's values are separated "
		    "by a comma or, for a German Excel, a semicolon: "
		    "delimiter=comma or delimiter=semicolon."));
	opts.all_versions = req_field(ctx->req, "all-versions") != NULL;
	opts.lang = req_field(ctx->req, "lang");
	if (opts.lang != NULL && !i18n_known(opts.lang))
		return admin_error(p, ctx, 400, "No such language",
		    "A download's labels are in a language of keyfield's: "
		    "lang=en or lang=de.");
	if ((rc = admin_round_param(ctx, p, &opts.round)) != 0)
		return rc == 1 ? 0 : -1;
	if ((f = tmpfile()) == NULL) {
		log_err("tmpfile: %s", strerror(errno));
		return -1;
	}
	rc = export_campaign(ctx->store, c.slug, (enum export_format)fmt,
	    &opts, f);
	if (rc != 0) {
		fclose(f);
		if (rc == 1)
			return admin_error(p, ctx, 404, tr(ctx->lang, "No "
			    "such campaign"), tr(ctx->lang, "There is no "
			    "campaign with this name."));
		if (rc == 3)
			return admin_error(p, ctx, 404, tr(ctx->lang, "No "
			    "such round"), tr(ctx->lang, "This campaign has "
			    "not reached this round."));
		return -1;
	}
	ctx->download = f;
	ctx->download_type = export_content_type((enum export_format)fmt);
	export_filename(ctx->download_name, sizeof(ctx->download_name),
	    c.slug, (enum export_format)fmt);
	return 0;
}
