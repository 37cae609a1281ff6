using EdgeGovernor.Hal.Bmc;
using EdgeGovernor.Hal.Ipmi;

namespace EdgeGovernor.Hal.Tests.Ipmi;

/// <summary>Command payloads as byte vectors (IPMI v2.0 chapter 28, DCMI 1.5 section 6.6).</summary>
public sealed class IpmiCommandsTests
{
    [Fact]
    public void Chassis_status_bits()
    {
        Assert.Equal(new ChassisStatus(true, false, false, false), IpmiCommands.ParseChassisStatus([0x21, 0x00, 0x40]));
        Assert.Equal(new ChassisStatus(false, true, true, true), IpmiCommands.ParseChassisStatus([0x1A, 0x00, 0x00, 0x00]));
        Assert.Equal(BmcErrorKind.MalformedReply, Assert.Throws<BmcException>(() => IpmiCommands.ParseChassisStatus([0x01, 0x00])).Kind);
    }

    [Fact]
    public void Power_reading_fields_are_little_endian()
    {
        byte[] data = Convert.FromHexString("DC" + "4001" + "6400" + "F401" + "2C01" + "00F15365" + "E8030000" + "40");

        PowerReading r = IpmiCommands.ParsePowerReading(data);

        Assert.Equal(new PowerReading(320, 100, 500, 300, 1000, true), r);
        Assert.False(IpmiCommands.ParsePowerReading([.. data[..^1], 0x00]).Active);
        Assert.Equal(BmcErrorKind.MalformedReply, Assert.Throws<BmcException>(() => IpmiCommands.ParsePowerReading(data[..^1])).Kind);
        data[0] = 0xDD;
        Assert.Equal(BmcErrorKind.MalformedReply, Assert.Throws<BmcException>(() => IpmiCommands.ParsePowerReading(data)).Kind);
    }

    [Fact]
    public void Set_power_limit_request_and_get_power_limit_response()
    {
        PowerLimit limit = new(210, 2500, 3, PowerLimitExceptionAction.HardPowerOffAndLogEvent);
        byte[] request = new byte[15];

        Assert.Equal(15, IpmiCommands.WriteSetPowerLimit(request, limit));

        Assert.Equal(Convert.FromHexString("DC" + "000000" + "01" + "D200" + "C4090000" + "0000" + "0300"), request);
        byte[] response = Convert.FromHexString("DC" + "0000" + "01" + "D200" + "C4090000" + "0000" + "0300");
        Assert.Equal(limit, IpmiCommands.ParsePowerLimit(response));
        response[3] = 0x07;
        Assert.Equal(BmcErrorKind.MalformedReply, Assert.Throws<BmcException>(() => IpmiCommands.ParsePowerLimit(response)).Kind);
    }

    [Fact]
    public void Activate_request()
    {
        byte[] request = new byte[4];
        Assert.Equal(4, IpmiCommands.WriteActivatePowerLimit(request, true));
        Assert.Equal(new byte[] { 0xDC, 0x01, 0x00, 0x00 }, request);
        IpmiCommands.WriteActivatePowerLimit(request, false);
        Assert.Equal(new byte[] { 0xDC, 0x00, 0x00, 0x00 }, request);
    }

    [Fact]
    public void Request_message_checksums()
    {
        byte[] message = new byte[16];
        int n = IpmiLanMessage.TryWriteRequest(message, 0x00, 0x02, 3, [0x01]);

        Assert.Equal(Convert.FromHexString("2000E0810C0201" + "70"), message[..n]);
        Assert.Equal(0, IpmiLanMessage.TryWriteRequest(message.AsSpan(0, 7), 0x00, 0x02, 3, [0x01]));
    }
}
