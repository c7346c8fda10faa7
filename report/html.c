/*
 * report/html: `chorus report html`, one self-contained page (inline CSS
 * and SVG, no script, no external asset) with the range's totals, clicks
 * per day, human versus preview versus bot traffic, the top posts, the
 * leaderboard, the split by network, participation and fatigue by month
 * and the posts people decline most. Its numbers come from the same
 * queries as the CSV reports.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/day.h"
#include "common/log.h"
#include "common/network.h"
#include "common/xmalloc.h"
#include "db/report.h"
#include "report/report.h"

#define HTML_MAX_DAYS	3660	/* ten years of bars is already a blur */
#define HTML_TOP	10

/* Chart geometry, in SVG user units (the page scales them). */
#define CW	1080	/* chart width */
#define CL	56	/* left margin, for the axis labels */
#define CR	16
#define CT	16
#define CB	34

static const char *const css =
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,"
	"'Noto Sans','Noto Sans CJK JP',sans-serif;color:#1f2937;"
	"background:#f3f4f6;margin:0}"
	"main{max-width:1120px;margin:0 auto;padding:28px 20px 40px}"
	"h1{font-size:26px;margin:0 0 2px}h2{font-size:18px;margin:0 0 12px}"
	".sub{color:#4b5563;margin:0 0 20px}"
	".cards{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;"
	"margin-bottom:18px}"
	".card{background:#fff;border-radius:10px;padding:12px 14px;"
	"box-shadow:0 1px 2px rgba(0,0,0,.06)}"
	".card b{display:block;font-size:24px;font-variant-numeric:"
	"tabular-nums}.card span{color:#6b7280;font-size:13px}"
	"section{background:#fff;border-radius:10px;padding:18px 20px;"
	"margin-bottom:18px;box-shadow:0 1px 2px rgba(0,0,0,.06)}"
	".row{display:grid;grid-template-columns:1fr 1fr;gap:18px}"
	".row section{margin-bottom:0}"
	".row{margin-bottom:18px}svg{display:block;width:100%;height:auto}"
	"svg text{font:12px system-ui,sans-serif;fill:#4b5563}"
	".legend{display:flex;gap:16px;color:#4b5563;font-size:13px;"
	"margin:-4px 0 8px}.legend i{display:inline-block;width:10px;"
	"height:10px;border-radius:2px;margin-right:5px}"
	"table{border-collapse:collapse;width:100%;font-size:14px}"
	"th{text-align:left;color:#6b7280;font-weight:600;border-bottom:"
	"1px solid #e5e7eb;padding:6px 8px}td{padding:6px 8px;"
	"border-bottom:1px solid #f3f4f6}td.n,th.n{text-align:right;"
	"font-variant-numeric:tabular-nums}"
	".bar{display:inline-block;height:10px;border-radius:3px;"
	"background:#6366f1;vertical-align:middle}"
	".empty{color:#4b5563}";

enum { C_CLICK, C_UNIQUE, C_PREVIEW, C_BOT, C_SHARE };
static const char *const color[] = {
	[C_CLICK] = "#2563eb", [C_UNIQUE] = "#f59e0b",
	[C_PREVIEW] = "#10b981", [C_BOT] = "#9ca3af", [C_SHARE] = "#8b5cf6",
};

struct day {
	long		day;
	long long	sent, shares, previews, clicks, uniq, bot;
};

struct post {
	char		*title;
	long long	 clicks, uniq, shares;
};

/* Writes s with &, <, >, " and ' escaped. */
static void
esc(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default: putc(*s, fp); break;
		}
	}
}

/* Writes s, escaped, cut to about max columns with an ellipsis. Wide
 * scripts (three- and four-byte UTF-8: CJK and the like) take two. */
static void
esc_cut(FILE *fp, const char *s, size_t max)
{
	size_t i, w = 0;
	unsigned char c;
	char *t;

	for (i = 0; (c = (unsigned char)s[i]) != '\0'; i++) {
		if ((c & 0xc0) == 0x80)
			continue;
		w += c >= 0xe0 ? 2 : 1;
		if (w > max)
			break;
	}
	t = xstrndup(s, i);
	esc(fp, t);
	if (s[i] != '\0')
		fputs("\xe2\x80\xa6", fp);
	free(t);
}

/* 1234567 -> "1,234,567". */
static void
num(FILE *fp, long long v)
{
	char b[32], o[48];
	size_t i, j = 0, n;

	n = (size_t)snprintf(b, sizeof(b), "%lld", v < 0 ? -v : v);
	if (v < 0)
		o[j++] = '-';
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			o[j++] = ',';
		o[j++] = b[i];
	}
	o[j] = '\0';
	fputs(o, fp);
}

long long
report_html_axis_max(long long v)
{
	long long p, step[4];
	int i;

	/* Steps in increasing order: p, 2p, 2.5p (a whole number from 10
	 * on), 5p; the loop ends long before p could overflow. */
	for (p = 1; p <= LLONG_MAX / 100; p *= 10) {
		step[0] = p;
		step[1] = 2 * p;
		step[2] = p >= 10 ? p / 2 * 5 : 2 * p;
		step[3] = 5 * p;
		for (i = 0; i < 4; i++)
			if (4 * step[i] >= v)
				return 4 * step[i];
	}
	return v;
}

/* Five ticks, 0 to max (a multiple of 4 from report_html_axis_max), so
 * each label is an exact whole number. */
static void
axis_y(FILE *fp, long long max, int h)
{
	int i, y;

	for (i = 0; i <= 4; i++) {
		y = CT + h - h * i / 4;
		fprintf(fp, "<line x1='%d' y1='%d' x2='%d' y2='%d' "
		    "stroke='%s'/>", CL, y, CW - CR, y,
		    i == 0 ? "#9ca3af" : "#e5e7eb");
		fprintf(fp, "<text x='%d' y='%d' text-anchor='end'>", CL - 8,
		    y + 4);
		num(fp, max / 4 * i);
		fputs("</text>", fp);
	}
}

/* Under n bars of width bw, about ten of their dates (MM-DD). */
static void
axis_x(FILE *fp, const struct day *d, size_t n, double bw, int h)
{
	size_t i, step = (n + 9) / 10;
	char date[16];

	for (i = 0; i < n; i += step) {
		day_format(d[i].day, date);
		fprintf(fp, "<text x='%.1f' y='%d' text-anchor='middle'>%s"
		    "</text>", CL + bw * ((double)i + 0.5), CT + h + 20,
		    date + 5);
	}
}

static void
legend(FILE *fp, const char *const *names, const int *colors, int n)
{
	int i;

	fputs("<div class='legend'>", fp);
	for (i = 0; i < n; i++)
		fprintf(fp, "<span><i style='background:%s'></i>%s</span>",
		    color[colors[i]], names[i]);
	fputs("</div>", fp);
}

/* Clicks per day as bars, unique clicks as a line over them. */
static void
chart_days(FILE *fp, const struct day *d, size_t n)
{
	static const char *const names[] = { "clicks", "unique clicks" };
	static const int colors[] = { C_CLICK, C_UNIQUE };
	const int h = 220, pw = CW - CL - CR;
	long long max = 0;
	double bw, x;
	size_t i;
	char date[16];

	fputs("<section><h2>Clicks per day</h2>", fp);
	if (n == 0) {
		fputs("<p class='empty'>No activity in this range.</p>"
		    "</section>", fp);
		return;
	}
	legend(fp, names, colors, 2);
	for (i = 0; i < n; i++)
		if (d[i].clicks > max)
			max = d[i].clicks;
	max = report_html_axis_max(max);
	bw = (double)pw / (double)n;
	fprintf(fp, "<svg viewBox='0 0 %d %d' role='img' "
	    "aria-label='Clicks per day'>", CW, CT + h + CB);
	axis_y(fp, max, h);
	for (i = 0; i < n; i++) {
		double bh = (double)h * (double)d[i].clicks / (double)max;

		x = CL + bw * (double)i;
		day_format(d[i].day, date);
		fprintf(fp, "<rect x='%.1f' y='%.1f' width='%.1f' "
		    "height='%.1f' fill='%s'><title>%s: %lld click%s, %lld "
		    "unique</title></rect>", x + bw * 0.12,
		    CT + h - bh, bw * 0.76, bh, color[C_CLICK], date,
		    d[i].clicks, d[i].clicks == 1 ? "" : "s", d[i].uniq);
	}
	fprintf(fp, "<polyline fill='none' stroke='%s' stroke-width='2' "
	    "stroke-linejoin='round' points='", color[C_UNIQUE]);
	for (i = 0; i < n; i++)
		fprintf(fp, "%.1f,%.1f ", CL + bw * ((double)i + 0.5),
		    CT + h - (double)h * (double)d[i].uniq / (double)max);
	fputs("'/>", fp);
	axis_x(fp, d, n, bw, h);
	fputs("</svg></section>", fp);
}

/* Human, preview and bot hits per day, stacked, and their shares. */
static void
chart_traffic(FILE *fp, const struct day *d, size_t n)
{
	static const char *const names[] = { "human clicks",
	    "link previews", "bots and HEAD" };
	static const int colors[] = { C_CLICK, C_PREVIEW, C_BOT };
	const int h = 150, pw = CW - CL - CR;
	long long max = 0, tot[3] = { 0, 0, 0 }, all;
	double bw, x, y;
	size_t i;
	int k;

	fputs("<section><h2>Human, preview and bot traffic</h2>", fp);
	if (n == 0) {
		fputs("<p class='empty'>No traffic in this range.</p>"
		    "</section>", fp);
		return;
	}
	for (i = 0; i < n; i++) {
		long long v = d[i].clicks + d[i].previews + d[i].bot;

		if (v > max)
			max = v;
		tot[0] += d[i].clicks;
		tot[1] += d[i].previews;
		tot[2] += d[i].bot;
	}
	all = tot[0] + tot[1] + tot[2];
	fputs("<div class='legend'>", fp);
	for (k = 0; k < 3; k++) {
		fprintf(fp, "<span><i style='background:%s'></i>%s: ",
		    color[colors[k]], names[k]);
		num(fp, tot[k]);
		fprintf(fp, " (%.0f%%)</span>", all ? 100.0 * (double)tot[k] /
		    (double)all : 0.0);
	}
	fputs("</div>", fp);
	max = report_html_axis_max(max);
	bw = (double)pw / (double)n;
	fprintf(fp, "<svg viewBox='0 0 %d %d' role='img' "
	    "aria-label='Traffic by class'>", CW, CT + h + CB);
	axis_y(fp, max, h);
	for (i = 0; i < n; i++) {
		long long v[3] = { d[i].clicks, d[i].previews, d[i].bot };

		x = CL + bw * (double)i;
		y = CT + h;
		for (k = 0; k < 3; k++) {
			double bh = (double)h * (double)v[k] / (double)max;

			if (v[k] == 0)
				continue;
			y -= bh;
			fprintf(fp, "<rect x='%.1f' y='%.1f' width='%.1f' "
			    "height='%.1f' fill='%s'/>", x + bw * 0.12, y,
			    bw * 0.76, bh, color[colors[k]]);
		}
	}
	axis_x(fp, d, n, bw, h);
	fputs("</svg></section>", fp);
}

/* Horizontal bars: label, bar, value. */
static void
hbar(FILE *fp, int y, int lw, const char *label, long long v, long long max,
    int c, const char *extra)
{
	const int bwmax = 400 - lw;
	double w = max ? (double)bwmax * (double)v / (double)max : 0;

	fprintf(fp, "<text x='0' y='%d'>", y + 13);
	esc_cut(fp, label, 30);
	fprintf(fp, "</text><rect x='%d' y='%d' width='%.1f' height='18' "
	    "rx='3' fill='%s'/><text x='%.1f' y='%d'>", lw, y, w > 1 ? w : 1,
	    color[c], lw + (w > 1 ? w : 1) + 6, y + 13);
	num(fp, v);
	if (extra != NULL)
		fputs(extra, fp);
	fputs("</text>", fp);
}

static int
top_posts(FILE *fp, struct db *db, long from, long to)
{
	struct post top[HTML_TOP];
	struct db_report *r;
	size_t n = 0, i, j;
	int st;

	/* The posts report, kept to the ten most clicked. */
	if ((r = db_report_open(db, DB_REPORT_POSTS, from, to)) == NULL)
		return -1;
	while ((st = db_report_step(r)) == 1) {
		long long c = db_report_int(r, 5);

		if (c == 0 || (n == HTML_TOP && c <= top[n - 1].clicks))
			continue;
		if (n == HTML_TOP)
			free(top[--n].title);
		for (i = n; i > 0 && top[i - 1].clicks < c; i--)
			;
		for (j = n; j > i; j--)
			top[j] = top[j - 1];
		top[i].title = xstrdup(db_report_text(r, 1));
		top[i].clicks = c;
		top[i].uniq = db_report_int(r, 6);
		top[i].shares = db_report_int(r, 3);
		n++;
	}
	db_report_close(r);
	fputs("<section><h2>Top posts</h2>", fp);
	if (n == 0)
		fputs("<p class='empty'>No clicks in this range.</p>", fp);
	else {
		fprintf(fp, "<svg viewBox='0 0 520 %zu' role='img' "
		    "aria-label='Top posts by clicks'>", n * 28);
		for (i = 0; i < n; i++)
			hbar(fp, (int)(i * 28), 210, top[i].title, top[i].clicks,
			    top[0].clicks, C_CLICK, " clicks");
		fputs("</svg>", fp);
	}
	fputs("</section>", fp);
	for (i = 0; i < n; i++)
		free(top[i].title);
	return st;
}

static int
networks(FILE *fp, struct db *db, long from, long to)
{
	struct db_report *r;
	long long max = -1;
	int st, i = 0, n;

	if ((r = db_report_open(db, DB_REPORT_NETWORKS, from, to)) == NULL)
		return -1;
	fputs("<section><h2>By network</h2><svg viewBox='0 0 520 138' "
	    "role='img' aria-label='Clicks by network'>", fp);
	/* Rows come most clicked first: the first sets the scale. */
	while ((st = db_report_step(r)) == 1) {
		if (max < 0)
			max = db_report_int(r, 3);
		n = network_from_name(db_report_text(r, 0));
		hbar(fp, i * 46, 90, n >= 0 ? network_label(n) :
		    db_report_text(r, 0), db_report_int(r, 3), max, C_SHARE,
		    " clicks");
		fprintf(fp, "<text x='90' y='%d' style='fill:#6b7280'>",
		    i * 46 + 34);
		num(fp, db_report_int(r, 4));
		fputs(" unique clicks \xc2\xb7 ", fp);
		num(fp, db_report_int(r, 1));
		fputs(" shares \xc2\xb7 ", fp);
		num(fp, db_report_int(r, 2));
		fputs(" previews</text>", fp);
		i++;
	}
	db_report_close(r);
	if (i == 0)
		fputs("<text x='0' y='14'>No activity in this range.</text>",
		    fp);
	fputs("</svg></section>", fp);
	return st;
}

static int
leaderboard(FILE *fp, struct db *db, long from, long to)
{
	struct db_report *r;
	long long max = -1;
	int st, n = 0;

	if ((r = db_report_open(db, DB_REPORT_LEADERBOARD, from, to)) == NULL)
		return -1;
	fputs("<section><h2>Leaderboard</h2><table><tr><th class='n'>#</th>"
	    "<th>employee</th><th>roles</th><th>score</th>"
	    "<th class='n'>shares</th><th class='n'>clicks</th>"
	    "<th class='n'>unique</th></tr>", fp);
	while (n < HTML_TOP && (st = db_report_step(r)) == 1) {
		long long score = db_report_int(r, 4);
		const char *name = db_report_text(r, 2);

		if (max < 0)
			max = score > 0 ? score : 1;
		fprintf(fp, "<tr><td class='n'>%lld</td><td>",
		    db_report_int(r, 0));
		esc(fp, *name != '\0' ? name : db_report_text(r, 1));
		fputs("</td><td>", fp);
		esc(fp, db_report_text(r, 3));
		fprintf(fp, "</td><td><span class='bar' style='width:%.0fpx'>"
		    "</span> ", 160.0 * (double)score / (double)max);
		num(fp, score);
		fputs("</td><td class='n'>", fp);
		num(fp, db_report_int(r, 5));
		fputs("</td><td class='n'>", fp);
		num(fp, db_report_int(r, 6));
		fputs("</td><td class='n'>", fp);
		num(fp, db_report_int(r, 7));
		fputs("</td></tr>", fp);
		n++;
	}
	if (n == HTML_TOP)
		st = 0;
	db_report_close(r);
	fputs("</table>", fp);
	if (n == 0)
		fputs("<p class='empty'>Nobody yet.</p>", fp);
	fprintf(fp, "<p class='sub' style='margin:10px 0 0'>Score: %d per "
	    "post and network shared with the button, %d per post and "
	    "network a preview bot fetched (it was really posted), %d per "
	    "unique click.</p>", REPORT_SCORE_SHARED, REPORT_SCORE_PROVEN,
	    REPORT_SCORE_UNIQUE);
	fputs("</section>", fp);
	return st;
}

/* "37%" of part over whole, or an en dash when whole is 0. */
static void
percent(FILE *fp, double part, double whole)
{
	if (whole > 0)
		fprintf(fp, "%.0f%%", 100.0 * part / whole);
	else
		fputs("\xe2\x80\x93", fp);
}

/* By month: who was sent a digest and took part, and the signs of
 * fatigue (the program report's numbers, with switches to weekly). */
static int
fatigue(FILE *fp, struct db *db, long from, long to)
{
	struct db_report *r;
	int st, n = 0, i;

	if ((r = db_report_open(db, DB_REPORT_FATIGUE, from, to)) == NULL)
		return -1;
	fputs("<section><h2>Participation and fatigue by month</h2><table>"
	    "<tr><th>month</th><th class='n'>sent a digest</th>"
	    "<th class='n'>sharers</th><th class='n'>participation</th>"
	    "<th class='n'>unsubscribes</th><th class='n'>pauses</th>"
	    "<th class='n'>switches to weekly</th>"
	    "<th class='n'>not for me</th></tr>", fp);
	while ((st = db_report_step(r)) == 1) {
		fputs("<tr><td>", fp);
		esc(fp, db_report_text(r, 0));
		fputs("</td><td class='n'>", fp);
		num(fp, db_report_int(r, 1));
		fputs("</td><td class='n'>", fp);
		num(fp, db_report_int(r, 2));
		fputs("</td><td class='n'>", fp);
		percent(fp, (double)db_report_int(r, 2),
		    (double)db_report_int(r, 1));
		for (i = 4; i <= 7; i++) {
			fputs("</td><td class='n'>", fp);
			num(fp, db_report_int(r, i));
		}
		fputs("</td></tr>", fp);
		n++;
	}
	db_report_close(r);
	fputs("</table>", fp);
	if (n == 0)
		fputs("<p class='empty'>No activity in this range.</p>", fp);
	fputs("<p class='sub' style='margin:10px 0 0'>Participation: the "
	    "employees who shared or whose link a network previewed, over "
	    "those sent a digest that month.</p></section>", fp);
	return st;
}

/* The posts with the most "not for me", and how often they were
 * suggested in the range. */
static int
declined(FILE *fp, struct db *db, long from, long to)
{
	struct db_report *r;
	int st = 0, n = 0;

	if ((r = db_report_open(db, DB_REPORT_DECLINED, from, to)) == NULL)
		return -1;
	fputs("<section><h2>Posts people decline most</h2><table><tr>"
	    "<th>post</th><th class='n'>not for me</th>"
	    "<th class='n'>suggested</th>"
	    "<th class='n'>share of suggested</th></tr>", fp);
	while (n < HTML_TOP && (st = db_report_step(r)) == 1) {
		fputs("<tr><td>", fp);
		esc_cut(fp, db_report_text(r, 0), 60);
		fputs("</td><td class='n'>", fp);
		num(fp, db_report_int(r, 1));
		fputs("</td><td class='n'>", fp);
		num(fp, db_report_int(r, 2));
		fputs("</td><td class='n'>", fp);
		percent(fp, (double)db_report_int(r, 1),
		    (double)db_report_int(r, 2));
		fputs("</td></tr>", fp);
		n++;
	}
	if (n == HTML_TOP)
		st = 0;
	db_report_close(r);
	fputs("</table>", fp);
	if (n == 0)
		fputs("<p class='empty'>Nobody said \xe2\x80\x9cnot for "
		    "me\xe2\x80\x9d in this range.</p>", fp);
	fputs("</section>", fp);
	return st;
}

static void
card(FILE *fp, const char *label, long long v)
{
	fputs("<div class='card'><b>", fp);
	num(fp, v);
	fprintf(fp, "</b><span>%s</span></div>", label);
}

int
report_html_write(struct db *db, long from, long to, FILE *fp)
{
	struct db_report *r;
	struct day *d = NULL, t;
	size_t n = 0, cap = 0;
	char a[16], b[16];
	int st, rc = -1;

	/* The daily report gives the per-day series and the totals. */
	memset(&t, 0, sizeof(t));
	if ((r = db_report_open(db, DB_REPORT_DAILY, from, to)) == NULL)
		return -1;
	while ((st = db_report_step(r)) == 1) {
		if (n == HTML_MAX_DAYS) {
			log_error("report: html: more than %d days; narrow the "
			    "range with --from and --to", HTML_MAX_DAYS);
			st = -1;
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 128;
			d = xreallocarray(d, cap, sizeof(*d));
		}
		d[n].day = (long)db_report_int(r, 0);
		d[n].sent = db_report_int(r, 1);
		d[n].shares = db_report_int(r, 4);
		d[n].previews = db_report_int(r, 5);
		d[n].clicks = db_report_int(r, 6);
		d[n].uniq = db_report_int(r, 7);
		d[n].bot = db_report_int(r, 8);
		t.sent += d[n].sent;
		t.shares += d[n].shares;
		t.previews += d[n].previews;
		t.clicks += d[n].clicks;
		t.uniq += d[n].uniq;
		t.bot += d[n].bot;
		n++;
	}
	db_report_close(r);
	if (st == -1)
		goto out;

	fprintf(fp, "<!doctype html>\n<html lang='en'><head><meta "
	    "charset='utf-8'><meta name='viewport' content='width=device-"
	    "width,initial-scale=1'><title>Chorus report</title><style>%s"
	    "</style></head><body><main><h1>Chorus report</h1>", css);
	if (n > 0) {
		day_format(d[0].day, a);
		day_format(d[n - 1].day, b);
		fprintf(fp, "<p class='sub'>%s to %s (UTC), %zu days</p>", a,
		    b, n);
	} else
		fputs("<p class='sub'>No activity in this range.</p>", fp);
	fputs("<div class='cards'>", fp);
	card(fp, "digests sent", t.sent);
	card(fp, "shares", t.shares);
	card(fp, "link previews", t.previews);
	card(fp, "clicks", t.clicks);
	card(fp, "unique clicks", t.uniq);
	card(fp, "bot and HEAD hits", t.bot);
	fputs("</div>", fp);
	chart_days(fp, d, n);
	chart_traffic(fp, d, n);
	fputs("<div class='row'>", fp);
	if (top_posts(fp, db, from, to) == -1 ||
	    networks(fp, db, from, to) == -1)
		goto out;
	fputs("</div>", fp);
	if (leaderboard(fp, db, from, to) == -1 ||
	    fatigue(fp, db, from, to) == -1 ||
	    declined(fp, db, from, to) == -1)
		goto out;
	fputs("</main></body></html>\n", fp);
	rc = ferror(fp) ? -1 : 0;
	if (rc == -1)
		log_error_errno("report: html: write");
out:
	free(d);
	return rc;
}
