using System.Net;
using System.Net.Sockets;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Firmware.Observability;
using EdgeGovernor.Firmware.Tests.Transport;
using EdgeGovernor.Firmware.Transport;

namespace EdgeGovernor.Firmware.Tests.Observability;

/// <summary>The native binary's error text: sentences naming the path or the port, never runtime resource keys.</summary>
public sealed class ErrorTextTests
{
    [Theory]
    [InlineData("IO_FileExists_Name, /etc/passwd", "'/etc/passwd' already exists")]
    [InlineData("UnauthorizedAccess_IODenied_Path, /var/lib/edgegov", "permission denied for '/var/lib/edgegov'")]
    [InlineData("IO_FileNotFound_FileName, /etc/edgegov/cluster.key", "file '/etc/edgegov/cluster.key' does not exist")]
    [InlineData("IO_PathNotFound_Path, /nope/x", "a directory on the path '/nope/x' does not exist")]
    [InlineData("Some_Other_Key, /x", "IOException (Some Other Key): /x")]
    [InlineData("The disk is on fire", "The disk is on fire")]
    public void Resource_keys_become_sentences_naming_the_path(string message, string expected)
    {
        Assert.Equal(expected, ErrorText.Describe(new IOException(message)).Split(" (a file")[0]);
    }

    [Fact]
    public void A_state_directory_that_is_a_file_is_named_in_a_sentence()
    {
        string file = Path.GetTempFileName();
        try
        {
            IOException e = Assert.Throws<IOException>(() => new FileVoteStore(file, 1));
            Assert.Equal($"state directory '{file}' (stateDirectory) cannot be used: it is a file, not a directory", e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_udp_port_in_use_is_named()
    {
        var (group, port) = TransportTests.FreshGroup();
        using var first = new UdpTransport(new UdpTransportOptions(group, port, IPAddress.Loopback, 0));
        int unicast = first.LocalEndPoint.Port;
        IOException e = Assert.Throws<IOException>(() => new UdpTransport(new UdpTransportOptions(group, port, IPAddress.Loopback, unicast)));
        Assert.Equal($"cannot bind UDP 127.0.0.1:{unicast} (port {unicast}; network.interface and network.unicastPort): the address and port are already in use by another process", e.Message);
        Assert.Equal("the address and port are already in use by another process", ErrorText.Describe(new SocketException((int)SocketError.AddressAlreadyInUse)));
    }
}
