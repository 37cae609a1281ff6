using EdgeGovernor.Hal.Hwmon;
using EdgeGovernor.Hal.Sysfs;
using EdgeGovernor.Hal.Tests.Support;

namespace EdgeGovernor.Hal.Tests.Hwmon;

/// <summary>Fans and temperatures through a fake /sys/class/hwmon.</summary>
public sealed class HwmonTests : IDisposable
{
    private readonly FakeSysfs _sys = new();
    private readonly string _nct;
    private readonly string _coretemp;

    public HwmonTests()
    {
        _nct = _sys.AddHwmon(0, "nct6775", fans: 1, temps: 1);
        _coretemp = _sys.AddHwmon(1, "coretemp", fans: 0, temps: 3, milliCelsius: 52_000);
        FakeSysfs.Write(_coretemp, "temp1_label", "Package id 0");
    }

    public void Dispose() => _sys.Dispose();

    private IReadOnlyList<SysfsHwmonDevice> Discover() => SysfsHwmonDevice.Discover(new SysfsRoot(_sys.Root));

    [Fact]
    public void Discovers_fans_and_temperatures_with_names_and_labels()
    {
        IReadOnlyList<SysfsHwmonDevice> devices = Discover();
        Assert.Equal(["nct6775", "coretemp"], devices.Select(d => d.Name));
        SysfsFan fan = Assert.Single(devices[0].Fans);
        Assert.Equal("nct6775/pwm1", fan.Name);
        Assert.True(fan.HasTachometer);
        Assert.Equal(1200, fan.ReadRpm());
        Assert.Equal(128, fan.ReadDuty());
        Assert.Equal(FanControlMode.Automatic, fan.ReadMode());
        Assert.Equal(45_000, Assert.Single(devices[0].Temperatures).ReadMillidegreesCelsius());
        Assert.Equal(["coretemp/Package id 0", "coretemp/temp2", "coretemp/temp3"], devices[1].Temperatures.Select(t => t.Name));
        Assert.Equal([52_000, 53_000, 54_000], devices[1].Temperatures.Select(t => t.ReadMillidegreesCelsius()));
    }

    [Fact]
    public void Manual_control_writes_pwm_enable_and_duty()
    {
        SysfsFan fan = Discover()[0].Fans[0];
        fan.SetMode(FanControlMode.Manual);
        fan.SetDuty(200);
        Assert.Equal("1\n", FakeSysfs.Read(_nct, "pwm1_enable"));
        Assert.Equal("200\n", FakeSysfs.Read(_nct, "pwm1"));
        Assert.Equal(FanControlMode.Manual, fan.ReadMode());
        Assert.Equal(200, fan.ReadDuty());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    public void Duty_outside_0_255_is_refused(int duty)
    {
        SysfsFan fan = Discover()[0].Fans[0];
        HalException e = Assert.Throws<HalException>(() => fan.SetDuty(duty));
        Assert.Equal(HalErrorKind.OutOfRange, e.Kind);
        Assert.Contains("0..255", e.Message);
        Assert.Equal("128\n", FakeSysfs.Read(_nct, "pwm1"));
        Assert.Equal(HalErrorKind.OutOfRange, Assert.Throws<HalException>(() => fan.SetMode((FanControlMode)9)).Kind);
    }

    [Fact]
    public void Garbage_out_of_range_and_unreadable_values_are_typed_errors()
    {
        IReadOnlyList<SysfsHwmonDevice> devices = Discover();
        SysfsFan fan = devices[0].Fans[0];
        FakeSysfs.WriteRaw(_nct, "fan1_input", "spinning\n");
        Assert.Equal(HalErrorKind.Garbage, Assert.Throws<HalException>(() => fan.ReadRpm()).Kind);
        FakeSysfs.Write(_nct, "pwm1", 300);
        Assert.Equal(HalErrorKind.Garbage, Assert.Throws<HalException>(() => fan.ReadDuty()).Kind);
        FakeSysfs.Write(_nct, "pwm1_enable", 42);
        Assert.Equal(HalErrorKind.Garbage, Assert.Throws<HalException>(() => fan.ReadMode()).Kind);
        FakeSysfs.Write(_nct, "temp1_input", -300_000);
        Assert.Equal(HalErrorKind.Garbage, Assert.Throws<HalException>(() => devices[0].Temperatures[0].ReadMillidegreesCelsius()).Kind);
        FakeSysfs.MakeUnreadable(_coretemp, "temp2_input");
        Assert.Equal(HalErrorKind.NotAFile, Assert.Throws<HalException>(() => devices[1].Temperatures[1].ReadMillidegreesCelsius()).Kind);
    }

    [Fact]
    public void A_sensor_the_kernel_will_not_let_us_read_is_AccessDenied()
    {
        FakeSysfs.MakeUnreadableByRoot(_coretemp, "temp3_input"); // EACCES from the kernel, even for root
        SysfsTemperatureSensor sensor = Discover()[1].Temperatures[2];
        HalException e = Assert.Throws<HalException>(() => sensor.ReadMillidegreesCelsius());
        Assert.Equal(HalErrorKind.AccessDenied, e.Kind);
        Assert.Equal(13, e.Errno);
    }

    [Fact]
    public void A_pwm_the_driver_will_not_take_is_a_typed_write_error()
    {
        FakeSysfs.MakeUnreadable(_nct, "pwm1"); // open(O_WRONLY) of a directory fails with EISDIR
        SysfsFan fan = Discover()[0].Fans[0];
        HalException e = Assert.Throws<HalException>(() => fan.SetDuty(10));
        Assert.Equal(HalErrorKind.NotAFile, e.Kind);
    }

    [Fact]
    public void A_fan_without_tachometer_says_so()
    {
        File.Delete(Path.Combine(_nct, "fan1_input"));
        SysfsFan fan = Discover()[0].Fans[0];
        Assert.False(fan.HasTachometer);
        Assert.Equal(HalErrorKind.Missing, Assert.Throws<HalException>(() => fan.ReadRpm()).Kind);
    }
}
