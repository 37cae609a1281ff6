using EdgeGovernor.Firmware.Control;

namespace EdgeGovernor.Firmware.Tests.Control;

/// <summary><see cref="SafetyEnvelope"/>: the rack budget scales caps down, heat forces the minimum cap, fans have a floor.</summary>
public sealed class SafetyEnvelopeTests
{
    private static readonly SafetyEnvelope Envelope = new(BudgetWatts: 2000, MaxTemperatureC: 85, MinFanDuty: 0.3);

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(1999, 1.0)]
    [InlineData(2000, 1.0)]
    [InlineData(2500, 0.8)]
    [InlineData(4000, 0.5)]
    public void A_draw_above_the_budget_scales_every_cap_by_budget_over_draw(double draw, double scale) =>
        Assert.Equal(scale, Envelope.BudgetScale(draw), 12);

    [Fact]
    public void The_scaled_cap_stays_within_the_server_range()
    {
        Assert.Equal(240, Envelope.Cap(300, 0.8, 160, 400, 50, out bool hot), 12);
        Assert.False(hot);
        Assert.Equal(160, Envelope.Cap(180, 0.5, 160, 400, 50, out _));
        Assert.Equal(400, Envelope.Cap(900, 1.0, 160, 400, 50, out _));
    }

    [Fact]
    public void A_server_above_the_temperature_limit_gets_its_minimum_cap_whatever_was_asked()
    {
        Assert.Equal(160, Envelope.Cap(400, 1.0, 160, 400, 85.5, out bool hot));
        Assert.True(hot);
        Assert.Equal(400, Envelope.Cap(400, 1.0, 160, 400, 85.0, out hot)); // at the limit is not above it
        Assert.False(hot);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.3, 77)] // 76.5 rounded up: never below the configured fraction
    [InlineData(0.2, 51)]
    [InlineData(1.0, 255)]
    public void The_fan_floor_is_the_configured_fraction_of_full_duty_rounded_up(double fraction, int duty) =>
        Assert.Equal(duty, (Envelope with { MinFanDuty = fraction }).MinimumFanDuty);
}
