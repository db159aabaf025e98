/*
** isodate: a narrow scanner (fixed-width digit fields, nothing else) and
** the civil-calendar arithmetic of days_from_civil / civil_from_days: eras
** of 400 years (146097 days), March-based years so that the leap day is the
** last day of a year. Exact for every date of years 1-9999.
*/
#include "base/isodate.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char msg_forms[] = TC_ISODATE_FORMS;
static const char msg_month[] = "the month must be 01 to 12";
static const char msg_day[] = "no such day in that month";
static const char msg_time[] = "the time must be 00:00 to 23:59:59";
static const char msg_offset[] = "the UTC offset must be at most 18:00, minutes under 60";

/* n digits at s into *out; false if any is not a digit. */
static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

int64_t tc_isodate_days(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                   /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static void civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

bool tc_isodate_looks_like(const char *s)
{
    int v;
    return s != NULL && strlen(s) >= 5 && digits(s, 4, &v) && s[4] == '-';
}

/* The offset at s ("" , "Z", "+HH:MM", "-HH:MM"); NULL or a message. */
static const char *parse_offset(const char *s, struct tc_isodate *out)
{
    int oh, om;
    if (*s == '\0')
        return NULL;
    out->has_offset = true;
    if (strcmp(s, "Z") == 0)
        return NULL;
    if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || !digits(s + 1, 2, &oh) || s[3] != ':' ||
        !digits(s + 4, 2, &om))
        return msg_forms;
    if (om >= 60 || oh * 60 + om > 18 * 60)
        return msg_offset;
    out->offset_min = (s[0] == '-' ? -1 : 1) * (oh * 60 + om);
    return NULL;
}

const char *tc_isodate_parse(const char *s, struct tc_isodate *out)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    *out = (struct tc_isodate){0};
    if (s == NULL || strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || y < 1)
        return msg_forms;
    const char *p = s + 10;
    if (*p == 'T') {
        if (strlen(p) < 6 || !digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi))
            return msg_forms;
        p += 6;
        if (*p == ':') {
            if (!digits(p + 1, 2, &sec))
                return msg_forms;
            p += 3;
        }
    }
    const char *err = parse_offset(p, out);
    if (err != NULL)
        return err;
    if (mo < 1 || mo > 12)
        return msg_month;
    if (d < 1 || d > month_days(y, mo))
        return msg_day;
    if (h > 23 || mi > 59 || sec > 59)
        return msg_time;
    out->utc_s = tc_isodate_days(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec -
                 (int64_t)out->offset_min * 60;
    return NULL;
}

int tc_isodate_format(int64_t utc_s, int32_t offset_min, char *buf, size_t len)
{
    int64_t local = utc_s + (int64_t)offset_min * 60;
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t sod = local - days * 86400, y;
    unsigned m, d;
    civil(days, &y, &m, &d);
    int32_t off = offset_min < 0 ? -offset_min : offset_min;
    return snprintf(buf, len, "%04" PRId64 "-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", y, m, d,
                    (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60),
                    offset_min < 0 ? '-' : '+', (int)(off / 60), (int)(off % 60));
}
