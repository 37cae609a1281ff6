/*
 * dcmi_ext.c - a DCMI (group extension 0xDC) power-management extension for ipmi_sim.
 *
 * Test fixture of EdgeGovernor: compiled by the IPMI test set-up with
 *   gcc -shared -fPIC -o dcmi_ext.so dcmi_ext.c
 * against the libopenipmi-dev headers, and loaded by ipmi_sim's lan config:
 *   loadlib "/path/dcmi_ext.so" "/path/to/power-state-file"
 * The option is the file the chassis-control script writes the power state to ("0"/"1"),
 * so the reading follows the simulated chassis: 0 W when off, the demand (capped by an
 * active limit) when on.
 *
 * Commands (NetFn 0x2C, first data byte 0xDC), DCMI 1.5 section 6.6:
 *   0x02 Get Power Reading, 0x03 Get Power Limit, 0x04 Set Power Limit,
 *   0x05 Activate/Deactivate Power Limit.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <OpenIPMI/serv.h>
#include <OpenIPMI/mcserv.h>

#define DCMI_GROUP 0xdc
#define DEMAND_WATTS 320
#define IDLE_WATTS 0

static char power_file[1024];
/* The stored limit starts at valid defaults so that a tool that reads, modifies one field and
 * writes back (ipmitool dcmi power set_limit) works on a fresh BMC. */
static uint8_t limit_action = 0x00;
static uint16_t limit_watts = 400;
static uint32_t limit_correction_ms = 1000;
static uint16_t limit_sampling_s = 1;
static int limit_active;
static uint16_t min_w = 0xffff, max_w, last_avg;
static uint64_t sum_w, count_w;
static uint32_t timestamp = 1700000000;

static void put16(unsigned char *p, uint16_t v) { p[0] = v & 0xff; p[1] = v >> 8; }
static void put32(unsigned char *p, uint32_t v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }
static uint16_t get16(const unsigned char *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t get32(const unsigned char *p) { return get16(p) | ((uint32_t)get16(p + 2) << 16); }

static int chassis_is_on(void)
{
    FILE *f = fopen(power_file, "r");
    int c;
    if (!f)
        return 0;
    c = fgetc(f);
    fclose(f);
    return c == '1';
}

static void reply(unsigned char *rdata, unsigned int *rdata_len, unsigned char cc)
{
    rdata[0] = cc;
    rdata[1] = DCMI_GROUP;
    *rdata_len = 2;
}

static void dcmi_handler(lmc_data_t *mc, msg_t *msg, unsigned char *rdata,
                         unsigned int *rdata_len, void *cb_data)
{
    const unsigned char *d = msg->data;
    unsigned int len = msg->len;
    (void)mc; (void)cb_data;

    if (len < 1 || d[0] != DCMI_GROUP) {
        rdata[0] = 0xcc; /* invalid data field */
        *rdata_len = 1;
        return;
    }
    switch (msg->cmd) {
    case 0x02: { /* Get Power Reading: mode(1) attributes(1) reserved(1) */
        uint16_t now;
        if (len < 4) { reply(rdata, rdata_len, 0xc7); return; }
        if (d[1] != 0x01) { reply(rdata, rdata_len, 0xcc); return; }
        now = chassis_is_on() ? DEMAND_WATTS : IDLE_WATTS;
        if (now && limit_active && limit_watts < now)
            now = limit_watts;
        if (now < min_w) min_w = now;
        if (now > max_w) max_w = now;
        sum_w += now; count_w++;
        last_avg = (uint16_t)(sum_w / count_w);
        timestamp++;
        reply(rdata, rdata_len, 0);
        put16(rdata + 2, now);
        put16(rdata + 4, min_w);
        put16(rdata + 6, max_w);
        put16(rdata + 8, last_avg);
        put32(rdata + 10, timestamp);
        put32(rdata + 14, 1000);          /* statistics reporting period, ms */
        rdata[18] = 0x40;                 /* power measurement active */
        *rdata_len = 19;
        return;
    }
    case 0x03: /* Get Power Limit: reserved(2); cc 0x80 = no active limit */
        if (len < 3) { reply(rdata, rdata_len, 0xc7); return; }
        reply(rdata, rdata_len, limit_active ? 0x00 : 0x80);
        rdata[2] = 0; rdata[3] = 0;
        rdata[4] = limit_action;
        put16(rdata + 5, limit_watts);
        put32(rdata + 7, limit_correction_ms);
        rdata[11] = 0; rdata[12] = 0;
        put16(rdata + 13, limit_sampling_s);
        *rdata_len = 15;
        return;
    case 0x04: { /* Set Power Limit: reserved(3) action(1) limit(2) correction(4) reserved(2) period(2) */
        uint8_t action;
        uint16_t watts, period;
        uint32_t corr;
        if (len < 15) { reply(rdata, rdata_len, 0xc7); return; }
        action = d[4];
        watts = get16(d + 5);
        corr = get32(d + 7);
        period = get16(d + 13);
        /* 0x00 no action, 0x01 hard power off, 0x02-0x10 OEM actions (this BMC accepts them), 0x11 log event. */
        if (action > 0x11) { reply(rdata, rdata_len, 0xcc); return; }
        if (watts < 50 || watts > 2000) { reply(rdata, rdata_len, 0x84); return; }
        if (corr < 100 || corr > 600000) { reply(rdata, rdata_len, 0x85); return; }
        if (period < 1 || period > 3600) { reply(rdata, rdata_len, 0x89); return; }
        limit_action = action; limit_watts = watts; limit_correction_ms = corr; limit_sampling_s = period;
        reply(rdata, rdata_len, 0);
        return;
    }
    case 0x05: /* Activate/Deactivate: activation(1) reserved(2) */
        if (len < 4) { reply(rdata, rdata_len, 0xc7); return; }
        if (d[1] > 1) { reply(rdata, rdata_len, 0xcc); return; }
        limit_active = d[1];
        reply(rdata, rdata_len, 0);
        return;
    default:
        rdata[0] = 0xc1; /* invalid command */
        *rdata_len = 1;
        return;
    }
}

int ipmi_sim_module_print_version(sys_data_t *sys, char *options)
{
    (void)sys; (void)options;
    printf("EdgeGovernor DCMI test extension 1.0\n");
    return 0;
}

int ipmi_sim_module_init(sys_data_t *sys, const char *options)
{
    (void)sys;
    if (!options || !*options)
        return 1;
    strncpy(power_file, options, sizeof(power_file) - 1);
    ipmi_emu_register_group_extension_handler(DCMI_GROUP, dcmi_handler, NULL);
    return 0;
}
