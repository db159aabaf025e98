/*
** Booking (scenarios/README.md): a truck asks for the slot holding its wish, or the
** next slot with room; it arrives uniformly inside its slot plus the
** punctuality deviation (0 here), and the booking delay is the time from
** the wish to the start of its slot (0 when it gets its own slot). Slot
** assignment does not depend on the random arrival time inside the slot,
** so with traced wishes every count and delay is exact in every
** replication. Arrivals per slot are read from a yard that holds each
** truck exactly one slot length, sampled at every slot end: the sample at
** (k+1) slots counts the trucks that arrived in slot k. time_unit min.
*/
#include "border.h"

/*
** Traced wishes (tests/border/data/<trace>) with the given booking, into a
** yard that holds each truck one slot, 3 replications.
*/
static void run_wishes(struct th *t, const char *name, const char *horizon, unsigned seed,
                       const char *trace, const char *booking)
{
    char yaml[1024];
    snprintf(yaml, sizeof(yaml),
             "name: %s\n"
             "horizon: %s\n"
             "warmup: 0\n"
             "replications: 3\n"
             "seed: %u\n"
             "sample_every: 1 h\n"
             "arrivals:\n"
             "  - to: yard\n"
             "    trace: data/%s\n"
             "    booking: %s\n"
             "stations:\n"
             "  yard:\n"
             "    servers: unlimited\n"
             "    service: 1 h\n"
             "    next: exit\n",
             name, horizon, seed, trace, booking);
    th_run(t, name, yaml, 3);
}

/* In every replication, slot k (the yard's count at its end) got want[k] trucks, k < n; later
   slots none. */
static void assert_per_slot(struct th *t, const double *want, uint32_t n)
{
    for (uint32_t r = 0; r < t->run.n_reps; r++)
        for (uint32_t k = 1; k < t->run.n_samples; k++) {
            double w = k <= n ? want[k - 1] : 0;
            double got = bd_series(t, r, k, "yard", TC_TS_PRESENT);
            ck_assert_msg(got == w, "%s: rep %u slot %u: %g trucks, expected %g", t->name, r, k - 1,
                          got, w);
        }
    t->n_done++;
}

/* 5 wishes at 0, per_slot 2, 1 h slots: slots 0 0 1 1 2, delays 0 0 60 60 120, mean 48. */
START_TEST(five_wishes)
{
    static const double per_slot[] = {2, 2, 1};
    struct th t;
    run_wishes(&t, "five_wishes", "1 d", 901, "wishes5.csv",
               "{slot: 1 h, per_slot: 2, punctuality: 0}");
    bd_exact_all(&t, th_cl(&t, "truck", TC_CM_BOOKING_DELAY), 48);
    bd_exact_all(&t, th_cl(&t, "truck", TC_CM_ARRIVED), 5);
    assert_per_slot(&t, per_slot, 3);
    th_done(&t);
}
END_TEST

/*
** Booking hours 02:00-04:00, 5 wishes at 0, per_slot 2, 1 h slots: slots
** 00:00 and 01:00 are not offered (01:00 ends as the window opens); slots 2
** and 3 take two trucks each; the fifth gets 02:00 the next day (slot 26).
** Delays 120 120 180 180 1560: mean 432.
*/
START_TEST(booking_hours)
{
    static const double per_slot[27] = {[2] = 2, [3] = 2, [26] = 1};
    struct th t;
    run_wishes(&t, "booking_hours", "2 d", 905, "wishes5.csv",
               "{slot: 1 h, per_slot: 2, punctuality: 0, open: [\"02:00-04:00\"]}");
    bd_exact_all(&t, th_cl(&t, "truck", TC_CM_BOOKING_DELAY), 432);
    bd_exact_all(&t, th_cl(&t, "truck", TC_CM_ARRIVED), 5);
    assert_per_slot(&t, per_slot, 27);
    th_done(&t);
}
END_TEST

/* A slot that only overlaps the hours is offered: 02:30-02:45 offers the 02:00 slot. */
START_TEST(booking_hours_overlap)
{
    static const double per_slot[3] = {[2] = 5};
    struct th t;
    run_wishes(&t, "booking_overlap", "1 d", 906, "wishes5.csv",
               "{slot: 1 h, per_slot: 5, punctuality: 0, open: [\"02:30-02:45\"]}");
    bd_exact_all(&t, th_cl(&t, "truck", TC_CM_BOOKING_DELAY), 120);
    bd_exact_all(&t, th_cl(&t, "truck", TC_CM_ARRIVED), 5);
    assert_per_slot(&t, per_slot, 3);
    th_done(&t);
}
END_TEST

/*
** Wishes (data/wishes11.csv) 0 1 2 3 4 5 6, 70, 130 130 130; per_slot 2,
** 1 h slots. Slots fill in order: the seven early wishes take slots
** 0 0 1 1 2 2 3, the wish at 70 (slot 1 is full) slot 3, the three at 130
** slots 4 4 5. Delays (slot start - wish): 0 0 58 57 116 115 174, 110,
** 110 110 170: 1020 / 11. Trucks per slot 2 2 2 2 2 1.
*/
START_TEST(slots_fill_in_order)
{
    static const double per_slot[] = {2, 2, 2, 2, 2, 1};
    struct th t;
    run_wishes(&t, "slots_in_order", "1 d", 902, "wishes11.csv",
               "{slot: 1 h, per_slot: 2, punctuality: 0}");
    bd_exact_all(&t, th_cl(&t, "truck", TC_CM_BOOKING_DELAY), 1020.0 / 11.0);
    bd_exact_all(&t, th_cl(&t, "truck", TC_CM_ARRIVED), 11);
    assert_per_slot(&t, per_slot, 6);
    th_done(&t);
}
END_TEST

/*
** A Poisson stream of 3 wishes an hour against 2 places an hour: no slot
** ever holds more than 2 trucks, the slots fill up (some hold exactly 2),
** and every truck that arrived is counted in exactly one slot (the sum
** over the slot-end samples equals the arrivals; warmup 0).
*/
START_TEST(never_over_per_slot)
{
    static const char yaml[] = "name: booking overload\n"
                               "horizon: 10 d\n"
                               "warmup: 0\n"
                               "replications: 10\n"
                               "seed: 903\n"
                               "sample_every: 1 h\n"
                               "arrivals:\n"
                               "  - to: yard\n"
                               "    rate: 3/h\n"
                               "    booking: {slot: 1 h, per_slot: 2, punctuality: 0}\n"
                               "stations:\n"
                               "  yard:\n"
                               "    servers: unlimited\n"
                               "    service: 1 h\n"
                               "    next: exit\n";
    struct th t;
    th_run(&t, "booking_cap", yaml, 1);
    size_t i_arr = th_cl(&t, "truck", TC_CM_ARRIVED);
    for (uint32_t r = 0; r < t.run.n_reps; r++) {
        double sum = 0, max = 0;
        for (uint32_t k = 1; k < t.run.n_samples; k++) {
            double n = bd_series(&t, r, k, "yard", TC_TS_PRESENT);
            ck_assert_msg(n <= 2, "rep %u slot %u: %g trucks over per_slot 2", r, k - 1, n);
            sum += n;
            max = n > max ? n : max;
        }
        ck_assert_msg(max == 2, "rep %u: no slot was filled", r);
        ck_assert_msg(sum == tc_run_value(&t.run, r, i_arr), "rep %u: %g in slots, %g arrived", r,
                      sum, tc_run_value(&t.run, r, i_arr));
        ck_assert_msg(sum > 400, "rep %u: only %g arrivals", r, sum);
    }
    t.n_done++;
    th_done(&t);
}
END_TEST

/*
** A booked stream requests each wish ahead of it (up to a slot plus the
** punctuality spread), yet a rate_factor acts on the wishes by their own
** time, neither twice nor one slot late: the wishes before the change stay
** as drawn and the stream restarts at the change. Wishes every 10 from 10,
** slots of 60 with room for all (delay 0), horizon 600, a rate_factor of 1
** at 135 (stream b): wishes 10 ... 130, then 145 ... 595, 59 trucks. At 100
** (stream a) the change comes before the wish of the same instant, as a
** change comes before an arrival at the same time of an unbooked stream:
** wishes 10 ... 90, then 110 ... 590, 58 trucks.
*/
START_TEST(rate_change_keeps_wishes)
{
    static const char yaml[] = "name: booked rate change\n"
                               "horizon: 600\n"
                               "warmup: 0\n"
                               "replications: 3\n"
                               "seed: 904\n"
                               "classes:\n"
                               "  a: {}\n"
                               "  b: {}\n"
                               "arrivals:\n"
                               "  - name: sa\n"
                               "    class: a\n"
                               "    to: yard\n"
                               "    interarrival: 10\n"
                               "    booking: {slot: 60, per_slot: 1000, punctuality: 0}\n"
                               "  - name: sb\n"
                               "    class: b\n"
                               "    to: yard\n"
                               "    interarrival: 10\n"
                               "    booking: {slot: 60, per_slot: 1000, punctuality: 0}\n"
                               "stations:\n"
                               "  yard:\n"
                               "    servers: unlimited\n"
                               "    service: 0\n"
                               "    next: exit\n"
                               "events:\n"
                               "  - {arrivals: sa, at: 100, rate_factor: 1}\n"
                               "  - {arrivals: sb, at: 135, rate_factor: 1}\n";
    struct th t;
    th_run(&t, "booked_rate", yaml, 4);
    bd_exact_all(&t, th_cl(&t, "a", TC_CM_ARRIVED), 58);
    bd_exact_all(&t, th_cl(&t, "b", TC_CM_ARRIVED), 59);
    bd_exact_all(&t, th_cl(&t, "a", TC_CM_BOOKING_DELAY), 0);
    bd_exact_all(&t, th_cl(&t, "b", TC_CM_BOOKING_DELAY), 0);
    th_done(&t);
}
END_TEST

/*
** Little's law for a shared pool: the time-average trucks booked and not
** yet arrived is the booking rate times the mean time from booking to
** arrival. Two Poisson streams (a 6/h, b 4/h) share gate_pool (slots of
** 1 h). With room for all, a request is made one slot before its wish and
** the truck arrives uniformly in the slot holding the wish, so the mean
** lead is exactly the slot: E[k len + U len - (wish - len)] = len / 2 +
** len - E[wish - k len] = len, as wish - k len is uniform on [0, len) for
** Poisson wishes. Hence booked_waiting = 10/h x 1 h = 10 trucks and
** lead_time = 60 min. With per_slot 12 the shared quota binds at times (10/h into
** 12 a slot): the lead grows, and booked_waiting must equal the measured
** booking rate times the measured lead.
*/
static void run_pool(struct th *t, const char *name, unsigned per_slot, uint32_t k)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "name: %s\n"
             "horizon: 20 d\n"
             "warmup: 1 d\n"
             "replications: 10\n"
             "seed: 905\n"
             "classes: {a: {}, b: {}}\n"
             "bookings:\n"
             "  gate_pool: {slot: 1 h, per_slot: %u}\n"
             "arrivals:\n"
             "  - {class: a, to: yard, rate: 6/h, booking: gate_pool}\n"
             "  - {class: b, to: yard, rate: 4/h, booking: gate_pool}\n"
             "stations:\n"
             "  yard: {servers: unlimited, service: 0}\n",
             name, per_slot);
    th_run(t, name, yaml, k);
}

START_TEST(pool_little)
{
    struct th t;
    run_pool(&t, "pool_little", 1000, 3);
    uint32_t p = tc_scenario_pool(t.sc, "gate_pool");
    ck_assert_uint_ne(p, TC_NONE);
    th_check(&t, tc_metrics_pool(&t.run.metrics, p, TC_PM_BOOKED_WAITING), 10.0);
    th_check(&t, tc_metrics_pool(&t.run.metrics, p, TC_PM_LEAD_TIME), 60.0);
    th_check(&t, tc_metrics_pool(&t.run.metrics, p, TC_PM_BOOKINGS), 10.0 / 60 * 19 * 1440);
    th_done(&t);

    run_pool(&t, "pool_little_q", 12, 2);
    const struct tc_metrics *m = &t.run.metrics;
    double window = t.sc->horizon - t.sc->warmup, lam = 0, w = 0, v[64];
    uint32_t n = t.run.n_reps;
    for (uint32_t r = 0; r < n; r++) {
        lam += tc_run_value(&t.run, r, tc_metrics_pool(m, p, TC_PM_BOOKINGS)) / window / n;
        w += tc_run_value(&t.run, r, tc_metrics_pool(m, p, TC_PM_LEAD_TIME)) / n;
        v[r] = tc_run_value(&t.run, r, tc_metrics_pool(m, p, TC_PM_BOOKED_WAITING));
    }
    ck_assert_msg(w > 65, "the quota binds: lead %g min", w);
    bd_check_values(&t, "booked_waiting = rate x lead", v, lam * w);
    th_check(&t, tc_metrics_pool(m, p, TC_PM_BOOKINGS), 10.0 / 60 * 19 * 1440);
    th_done(&t);
}
END_TEST

static Suite *booking_suite(void)
{
    Suite *s = suite_create("border_booking");
    TCase *tc = tcase_create("booking");
    tcase_set_timeout(tc, TH_TIMEOUT);
    tcase_add_test(tc, five_wishes);
    tcase_add_test(tc, booking_hours);
    tcase_add_test(tc, booking_hours_overlap);
    tcase_add_test(tc, slots_fill_in_order);
    tcase_add_test(tc, never_over_per_slot);
    tcase_add_test(tc, rate_change_keeps_wishes);
    tcase_add_test(tc, pool_little);
    suite_add_tcase(s, tc);
    return s;
}

TC_CHECK_MAIN(booking_suite)
