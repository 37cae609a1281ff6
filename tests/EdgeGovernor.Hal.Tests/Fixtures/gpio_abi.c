/*
 * Prints the GPIO character device uAPI v2 layout as the kernel's own header defines it
 * (<linux/gpio.h> from Debian linux-libc-dev), one "key value" per line. GpioAbiTests compiles it
 * with gcc, runs it and compares every line with EdgeGovernor.Hal.Interop.GpioV2.
 */
#include <stddef.h>
#include <stdio.h>
#include <linux/gpio.h>

#define SIZE(t) printf("sizeof %s %zu\n", #t, sizeof(struct t))
#define OFF(t, f) printf("offsetof %s.%s %zu\n", #t, #f, offsetof(struct t, f))
#define IOCTL(n) printf("ioctl %s %lu\n", #n, (unsigned long)(n))
#define CONST(n) printf("const %s %llu\n", #n, (unsigned long long)(n))

int main(void)
{
    SIZE(gpiochip_info);
    OFF(gpiochip_info, name);
    OFF(gpiochip_info, label);
    OFF(gpiochip_info, lines);

    SIZE(gpio_v2_line_values);
    OFF(gpio_v2_line_values, bits);
    OFF(gpio_v2_line_values, mask);

    SIZE(gpio_v2_line_attribute);
    OFF(gpio_v2_line_attribute, id);
    OFF(gpio_v2_line_attribute, padding);
    OFF(gpio_v2_line_attribute, flags);
    OFF(gpio_v2_line_attribute, values);
    OFF(gpio_v2_line_attribute, debounce_period_us);

    SIZE(gpio_v2_line_config_attribute);
    OFF(gpio_v2_line_config_attribute, attr);
    OFF(gpio_v2_line_config_attribute, mask);

    SIZE(gpio_v2_line_config);
    OFF(gpio_v2_line_config, flags);
    OFF(gpio_v2_line_config, num_attrs);
    OFF(gpio_v2_line_config, padding);
    OFF(gpio_v2_line_config, attrs);

    SIZE(gpio_v2_line_request);
    OFF(gpio_v2_line_request, offsets);
    OFF(gpio_v2_line_request, consumer);
    OFF(gpio_v2_line_request, config);
    OFF(gpio_v2_line_request, num_lines);
    OFF(gpio_v2_line_request, event_buffer_size);
    OFF(gpio_v2_line_request, padding);
    OFF(gpio_v2_line_request, fd);

    SIZE(gpio_v2_line_info);
    OFF(gpio_v2_line_info, name);
    OFF(gpio_v2_line_info, consumer);
    OFF(gpio_v2_line_info, offset);
    OFF(gpio_v2_line_info, num_attrs);
    OFF(gpio_v2_line_info, flags);
    OFF(gpio_v2_line_info, attrs);
    OFF(gpio_v2_line_info, padding);

    SIZE(gpio_v2_line_info_changed);
    OFF(gpio_v2_line_info_changed, info);
    OFF(gpio_v2_line_info_changed, timestamp_ns);
    OFF(gpio_v2_line_info_changed, event_type);
    OFF(gpio_v2_line_info_changed, padding);

    SIZE(gpio_v2_line_event);
    OFF(gpio_v2_line_event, timestamp_ns);
    OFF(gpio_v2_line_event, id);
    OFF(gpio_v2_line_event, offset);
    OFF(gpio_v2_line_event, seqno);
    OFF(gpio_v2_line_event, line_seqno);
    OFF(gpio_v2_line_event, padding);

    IOCTL(GPIO_GET_CHIPINFO_IOCTL);
    IOCTL(GPIO_V2_GET_LINEINFO_IOCTL);
    IOCTL(GPIO_V2_GET_LINEINFO_WATCH_IOCTL);
    IOCTL(GPIO_GET_LINEINFO_UNWATCH_IOCTL);
    IOCTL(GPIO_V2_GET_LINE_IOCTL);
    IOCTL(GPIO_V2_LINE_SET_CONFIG_IOCTL);
    IOCTL(GPIO_V2_LINE_GET_VALUES_IOCTL);
    IOCTL(GPIO_V2_LINE_SET_VALUES_IOCTL);

    CONST(GPIO_MAX_NAME_SIZE);
    CONST(GPIO_V2_LINES_MAX);
    CONST(GPIO_V2_LINE_NUM_ATTRS_MAX);
    CONST(GPIO_V2_LINE_FLAG_ACTIVE_LOW);
    CONST(GPIO_V2_LINE_FLAG_INPUT);
    CONST(GPIO_V2_LINE_FLAG_OUTPUT);
    CONST(GPIO_V2_LINE_FLAG_USED);
    CONST(GPIO_V2_LINE_FLAG_EDGE_RISING);
    CONST(GPIO_V2_LINE_FLAG_EDGE_FALLING);
    CONST(GPIO_V2_LINE_FLAG_OPEN_DRAIN);
    CONST(GPIO_V2_LINE_FLAG_OPEN_SOURCE);
    CONST(GPIO_V2_LINE_FLAG_BIAS_PULL_UP);
    CONST(GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN);
    CONST(GPIO_V2_LINE_FLAG_BIAS_DISABLED);
    CONST(GPIO_V2_LINE_ATTR_ID_FLAGS);
    CONST(GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES);
    CONST(GPIO_V2_LINE_ATTR_ID_DEBOUNCE);
    CONST(GPIO_V2_LINE_EVENT_RISING_EDGE);
    CONST(GPIO_V2_LINE_EVENT_FALLING_EDGE);
    CONST(GPIO_V2_LINE_CHANGED_REQUESTED);
    CONST(GPIO_V2_LINE_CHANGED_RELEASED);
    CONST(GPIO_V2_LINE_CHANGED_CONFIG);
    return 0;
}
