using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Hal.Ipmi;

/// <summary>
/// <see cref="IBmc"/> over IPMI 2.0 / RMCP+ on UDP: the codec (<see cref="RmcpPlusCodec"/>)
/// drives a <see cref="IpmiUdpTransport"/>. The session is set up on first use (Get Channel
/// Authentication Capabilities, Open Session, RAKP 1-4, Set Session Privilege Level) and reused
/// for every command; when a command gets no answer within its retries on an established
/// session, the BMC is assumed to have dropped it (restart, inactivity timeout): a new session is
/// set up once and the command sent again (so a command may reach the BMC twice; every command
/// used here is idempotent except Power Cycle and Hard Reset). Every exchange is bounded: each
/// attempt waits <see cref="IpmiBmcOptions.Timeout"/> and at most
/// <see cref="IpmiBmcOptions.Retries"/> retransmissions follow. Commands are serialised; buffers
/// are allocated once. <see cref="DisposeAsync"/> closes the session cleanly.
/// </summary>
public sealed class IpmiBmc : IBmc
{
    private readonly IpmiBmcOptions _options;
    private readonly IpmiUdpTransport _transport;
    private readonly RmcpPlusCodec _codec;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _tx = new byte[RmcpPlusCodec.MaxDatagram];
    private readonly byte[] _rx = new byte[RmcpPlusCodec.MaxDatagram];
    private readonly byte[] _request = new byte[32];
    private readonly byte[] _setupRequest = new byte[4]; // session set-up must not overwrite the pending command's data
    private readonly byte[] _response = new byte[256];
    private byte[] _requestData;
    private byte _netFn, _cmd, _rqSeq, _tag, _completionCode;
    private int _requestLength, _responseLength;
    private bool _disposed;

    private enum Step
    {
        ChannelAuthCapabilities,
        OpenSession,
        Rakp1,
        Rakp3,
        Command,
    }

    /// <summary>Creates the client; no datagram is sent until the first command.</summary>
    public IpmiBmc(IpmiBmcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _codec = new RmcpPlusCodec(options.CipherSuite, options.Credentials.UserNameBytes, options.Credentials.PasswordBytes,
            options.Privilege, options.Random);
        _transport = new IpmiUdpTransport(options.Endpoint);
        _requestData = _request;
    }

    /// <summary>Sessions set up so far (1 while the BMC keeps the session; more after it dropped one).</summary>
    public long SessionsEstablished { get; private set; }

    /// <summary>Commands answered by the BMC (any completion code), not counting session set-up.</summary>
    public long CommandsCompleted { get; private set; }

    /// <summary>Datagrams sent again because no valid reply came in time.</summary>
    public long Retransmissions { get; private set; }

    /// <summary>Replies dropped because they were malformed or failed the integrity check.</summary>
    public long RepliesDropped { get; private set; }

    /// <summary>True while a session is established.</summary>
    public bool HasSession => _codec.IsActive;

    private ReadOnlySpan<byte> Response => _response.AsSpan(0, _responseLength);

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ChassisStatus> GetChassisStatusAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CommandAsync(IpmiCommands.NetFnChassis, IpmiCommands.GetChassisStatus, 0, cancellationToken).ConfigureAwait(false);
            RmcpPlusCodec.ThrowOnCompletionCode(_completionCode, "Get Chassis Status");
            return IpmiCommands.ParseChassisStatus(Response);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ChassisControlAsync(ChassisControl action, CancellationToken cancellationToken = default)
    {
        byte data = IpmiCommands.ChassisControlData(action);
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _request[0] = data;
            await CommandAsync(IpmiCommands.NetFnChassis, IpmiCommands.ChassisControl, 1, cancellationToken).ConfigureAwait(false);
            RmcpPlusCodec.ThrowOnCompletionCode(_completionCode, "Chassis Control");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<PowerReading> GetPowerReadingAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IpmiCommands.PowerReadingRequest.CopyTo(_request);
            await CommandAsync(IpmiCommands.NetFnGroupExtension, IpmiCommands.DcmiGetPowerReading,
                IpmiCommands.PowerReadingRequest.Length, cancellationToken).ConfigureAwait(false);
            ThrowOnDcmiCompletionCode("DCMI Get Power Reading");
            return IpmiCommands.ParsePowerReading(Response);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<PowerLimit?> GetPowerLimitAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IpmiCommands.PowerLimitRequest.CopyTo(_request);
            await CommandAsync(IpmiCommands.NetFnGroupExtension, IpmiCommands.DcmiGetPowerLimit,
                IpmiCommands.PowerLimitRequest.Length, cancellationToken).ConfigureAwait(false);
            if (_completionCode == IpmiCommands.NoActivePowerLimit)
            {
                return null;
            }

            ThrowOnDcmiCompletionCode("DCMI Get Power Limit");
            return IpmiCommands.ParsePowerLimit(Response);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SetPowerLimitAsync(PowerLimit limit, CancellationToken cancellationToken = default)
    {
        IpmiCommands.WriteSetPowerLimit(stackalloc byte[15], limit); // refuse bad arguments before any I/O
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int length = IpmiCommands.WriteSetPowerLimit(_request, limit);
            await CommandAsync(IpmiCommands.NetFnGroupExtension, IpmiCommands.DcmiSetPowerLimit, length, cancellationToken).ConfigureAwait(false);
            ThrowOnDcmiCompletionCode("DCMI Set Power Limit");
            IpmiCommands.CheckDcmiAck(Response, "DCMI Set Power Limit");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ActivatePowerLimitAsync(bool activate, CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int length = IpmiCommands.WriteActivatePowerLimit(_request, activate);
            await CommandAsync(IpmiCommands.NetFnGroupExtension, IpmiCommands.DcmiActivatePowerLimit, length, cancellationToken).ConfigureAwait(false);
            ThrowOnDcmiCompletionCode(activate ? "DCMI Activate Power Limit" : "DCMI Deactivate Power Limit");
            IpmiCommands.CheckDcmiAck(Response, "DCMI Activate/Deactivate Power Limit");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the session (Close Session, one bounded attempt; failures ignored) and the socket.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_codec.IsActive)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(_request, _codec.BmcSessionId);
                SetCommand(IpmiCommands.NetFnApp, IpmiCommands.CloseSession, _request, 4);
                try
                {
                    await ExchangeAsync(Step.Command, "Close Session", retries: 0, CancellationToken.None).ConfigureAwait(false);
                }
                catch (BmcException)
                {
                    // The BMC will expire the session itself.
                }
            }

            _codec.Dispose();
            _transport.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_disposed)
        {
            _gate.Release();
            throw new ObjectDisposedException(nameof(IpmiBmc));
        }
    }

    private void ThrowOnDcmiCompletionCode(string command)
    {
        if (_completionCode != 0)
        {
            throw new BmcException(BmcErrorKind.CompletionCode,
                $"{command} failed with completion code 0x{_completionCode:X2} ({IpmiCommands.DescribeDcmiCompletionCode(_completionCode)}).");
        }
    }

    private void SetCommand(byte netFn, byte cmd, byte[] requestData, int requestLength)
    {
        _requestData = requestData;
        _netFn = netFn;
        _cmd = cmd;
        _requestLength = requestLength;
        _rqSeq = (byte)((_rqSeq + 1) & 0x3F);
    }

    /// <summary>Sends the command in <c>_request</c> inside the session, setting one up when there is none.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask CommandAsync(byte netFn, byte cmd, int requestLength, CancellationToken cancellationToken)
    {
        bool fresh = false;
        if (!_codec.IsActive)
        {
            await EstablishAsync(cancellationToken).ConfigureAwait(false);
            fresh = true;
        }

        SetCommand(netFn, cmd, _request, requestLength);
        try
        {
            await ExchangeAsync(Step.Command, CommandName(netFn, cmd), _options.Retries, cancellationToken).ConfigureAwait(false);
        }
        catch (BmcException e) when (e.Kind == BmcErrorKind.Timeout && !fresh)
        {
            // No answer on an established session: the BMC may have dropped it. Set up a new one
            // (that fails with Timeout too when the BMC is really gone) and send once more.
            await EstablishAsync(cancellationToken).ConfigureAwait(false);
            SetCommand(netFn, cmd, _request, requestLength);
            await ExchangeAsync(Step.Command, CommandName(netFn, cmd), _options.Retries, cancellationToken).ConfigureAwait(false);
        }

        CommandsCompleted++;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask EstablishAsync(CancellationToken cancellationToken)
    {
        _codec.Reset();
        _tag++;
        await ExchangeAsync(Step.ChannelAuthCapabilities, "Get Channel Authentication Capabilities", _options.Retries, cancellationToken).ConfigureAwait(false);
        await ExchangeAsync(Step.OpenSession, "Open Session", _options.Retries, cancellationToken).ConfigureAwait(false);
        await ExchangeAsync(Step.Rakp1, "RAKP 1/2", _options.Retries, cancellationToken).ConfigureAwait(false);
        await ExchangeAsync(Step.Rakp3, "RAKP 3/4", _options.Retries, cancellationToken).ConfigureAwait(false);
        SessionsEstablished++;

        _setupRequest[0] = (byte)_options.Privilege;
        SetCommand(IpmiCommands.NetFnApp, IpmiCommands.SetSessionPrivilege, _setupRequest, 1);
        await ExchangeAsync(Step.Command, "Set Session Privilege Level", _options.Retries, cancellationToken).ConfigureAwait(false);
        if (_completionCode != 0)
        {
            _codec.Reset();
            throw new BmcException(BmcErrorKind.AuthenticationFailed,
                $"Set Session Privilege Level to {_options.Privilege} refused with completion code 0x{_completionCode:X2} ({IpmiLanMessage.DescribeCompletionCode(_completionCode)}).");
        }
    }

    /// <summary>
    /// One request/reply exchange with bounded retransmission. Well-formed replies that answer
    /// something else are ignored; malformed ones are counted and dropped (a stray or forged
    /// datagram cannot end the exchange), and named in the error when no valid reply comes.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ExchangeAsync(Step step, string name, int retries, CancellationToken cancellationToken)
    {
        BmcException? malformed = null;
        bool refused = false;
        for (int attempt = 0; attempt <= retries; attempt++)
        {
            int length = Write(step);
            if (length == 0)
            {
                throw new BmcException(BmcErrorKind.InvalidArgument, $"{name}: request does not fit a datagram.");
            }

            if (attempt > 0)
            {
                Retransmissions++;
            }

            await _transport.SendAsync(_tx.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            long start = Stopwatch.GetTimestamp();
            while (true)
            {
                TimeSpan remaining = _options.Timeout - Stopwatch.GetElapsedTime(start);
                if (remaining <= TimeSpan.Zero)
                {
                    break;
                }

                int received = await _transport.ReceiveAsync(_rx, remaining, cancellationToken).ConfigureAwait(false);
                if (received == IpmiUdpTransport.TimedOut)
                {
                    break;
                }

                if (received == IpmiUdpTransport.Refused)
                {
                    refused = true;
                    break;
                }

                try
                {
                    if (Read(step, _rx.AsSpan(0, received)))
                    {
                        return;
                    }
                }
                catch (BmcException e) when (e.Kind == BmcErrorKind.MalformedReply)
                {
                    RepliesDropped++;
                    malformed = e;
                }
            }
        }

        string where = $"{_options.Endpoint} after {retries + 1} attempt(s) of {_options.Timeout.TotalMilliseconds:0} ms";
        if (malformed is not null)
        {
            throw new BmcException(BmcErrorKind.MalformedReply, $"{name}: no valid reply from {where}; last reply was malformed: {malformed.Message}", malformed);
        }

        throw new BmcException(BmcErrorKind.Timeout,
            $"{name}: no reply from {where}{(refused ? " (ICMP port unreachable: nothing listens on that port)" : string.Empty)}.");
    }

    private int Write(Step step)
    {
        Span<byte> tx = _tx;
        return step switch
        {
            Step.ChannelAuthCapabilities => RmcpPlusCodec.WriteGetChannelAuthCapabilities(tx, _options.Privilege),
            Step.OpenSession => _codec.WriteOpenSessionRequest(tx, _tag),
            Step.Rakp1 => _codec.WriteRakp1(tx, _tag),
            Step.Rakp3 => _codec.WriteRakp3(tx, _tag),
            _ => _codec.WriteRequest(tx, _netFn, _cmd, _rqSeq, _requestData.AsSpan(0, _requestLength)),
        };
    }

    private bool Read(Step step, ReadOnlySpan<byte> datagram) => step switch
    {
        Step.ChannelAuthCapabilities => RmcpPlusCodec.ReadGetChannelAuthCapabilities(datagram),
        Step.OpenSession => _codec.ReadOpenSessionResponse(datagram, _tag),
        Step.Rakp1 => _codec.ReadRakp2(datagram, _tag),
        Step.Rakp3 => _codec.ReadRakp4(datagram, _tag),
        _ => _codec.ReadResponse(datagram, _netFn, _cmd, _rqSeq, out _completionCode, _response, out _responseLength),
    };

    private static string CommandName(byte netFn, byte cmd) => (netFn, cmd) switch
    {
        (IpmiCommands.NetFnChassis, IpmiCommands.GetChassisStatus) => "Get Chassis Status",
        (IpmiCommands.NetFnChassis, IpmiCommands.ChassisControl) => "Chassis Control",
        (IpmiCommands.NetFnGroupExtension, IpmiCommands.DcmiGetPowerReading) => "DCMI Get Power Reading",
        (IpmiCommands.NetFnGroupExtension, IpmiCommands.DcmiGetPowerLimit) => "DCMI Get Power Limit",
        (IpmiCommands.NetFnGroupExtension, IpmiCommands.DcmiSetPowerLimit) => "DCMI Set Power Limit",
        (IpmiCommands.NetFnGroupExtension, IpmiCommands.DcmiActivatePowerLimit) => "DCMI Activate/Deactivate Power Limit",
        _ => $"IPMI command 0x{netFn:X2}/0x{cmd:X2}",
    };
}
