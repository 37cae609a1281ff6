using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using EdgeGovernor.Hal.Bmc;

namespace EdgeGovernor.Hal.Ipmi;

/// <summary>
/// <see cref="IBmc"/> over IPMI 2.0 / RMCP+ on UDP: the codec (<see cref="RmcpPlusCodec"/>)
/// drives a <see cref="IpmiUdpTransport"/>. The session is set up on first use (Get Channel
/// Authentication Capabilities, Open Session, RAKP 1-4, Set Session Privilege Level) and reused
/// for every command; when a read or DCMI command gets no answer within its retries on an
/// established session, the BMC is assumed to have dropped it (restart, inactivity timeout): a
/// new session is set up (on a new socket, so replies to the old one cannot reach it) and the
/// command sent again. Chassis Control is never repeated blindly: after a lost reply the chassis
/// state is read (<see cref="ChassisControlAsync"/>). Every call is bounded by
/// <see cref="IpmiBmcOptions.EffectiveCallTimeout"/>; within it each attempt waits
/// <see cref="IpmiBmcOptions.Timeout"/> and at most <see cref="IpmiBmcOptions.Retries"/>
/// retransmissions follow. Commands are serialised; buffers are allocated once.
/// <see cref="DisposeAsync"/> closes the session cleanly.
/// </summary>
public sealed class IpmiBmc : IBmc
{
    private readonly IpmiBmcOptions _options;
    private IpmiUdpTransport _transport;
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
    private bool _disposed, _transportUsed;
    private long _deadline; // Stopwatch timestamp at which the current call's time is up
    private byte _lateCmd, _lateRqSeq, _lateCompletionCode; // a Chassis Control whose reply is overdue (_lateCmd 0: none)
    private bool _lateAnswered;

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

    /// <summary>
    /// Well-formed replies that answered nothing pending: late replies to an earlier attempt or command,
    /// duplicates, replies of an earlier session or set-up step, replayed sequence numbers. Ignored.
    /// </summary>
    public long RepliesStale { get; private set; }

    /// <summary>Chassis Control calls whose reply was lost and that were settled by reading the chassis state.</summary>
    public long ChassisReadBacks { get; private set; }

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
            await ControlAsync(action, data, cancellationToken).ConfigureAwait(false);
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
                _deadline = Stopwatch.GetTimestamp() + (long)(_options.Timeout.TotalSeconds * Stopwatch.Frequency);
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

        _deadline = Stopwatch.GetTimestamp() + (long)(_options.EffectiveCallTimeout.TotalSeconds * Stopwatch.Frequency);
    }

    private TimeSpan Remaining => Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _deadline);

    /// <summary>
    /// Chassis Control, sent once per decision. When its reply is lost the command may or may not
    /// have been carried out, so it is not repeated blindly: Get Chassis Status is read first (a
    /// late reply to the control command that arrives meanwhile settles it too). Power on/off are
    /// sent again only while the state shows they did not take effect; soft off, power cycle and
    /// hard reset are never sent again: cycle counts as done when the chassis reads off (its off
    /// phase is under way), soft off when it reads off; otherwise the call fails with
    /// <see cref="BmcErrorKind.Timeout"/> saying the outcome is unknown and the command was not repeated.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ControlAsync(ChassisControl action, byte data, CancellationToken cancellationToken)
    {
        if (!_codec.IsActive)
        {
            await EstablishAsync(cancellationToken).ConfigureAwait(false);
        }

        string name = $"Chassis Control {action}";
        if (Remaining <= TimeSpan.Zero)
        {
            throw new BmcException(BmcErrorKind.Timeout, string.Create(CultureInfo.InvariantCulture,
                $"{name}: not sent: session set-up used up the call's {_options.EffectiveCallTimeout.TotalMilliseconds:0} ms."));
        }

        for (int sent = 1; ; sent++)
        {
            _request[0] = data;
            SetCommand(IpmiCommands.NetFnChassis, IpmiCommands.ChassisControl, _request, 1);
            BmcException lost;
            try
            {
                await ExchangeAsync(Step.Command, name, retries: 0, cancellationToken).ConfigureAwait(false);
                CommandsCompleted++;
                RmcpPlusCodec.ThrowOnCompletionCode(_completionCode, name);
                return;
            }
            catch (BmcException e) when (e.Kind is BmcErrorKind.Timeout or BmcErrorKind.MalformedReply)
            {
                lost = e;
            }

            ChassisReadBacks++;
            ChassisStatus status;
            _lateCmd = IpmiCommands.ChassisControl;
            _lateRqSeq = _rqSeq;
            _lateAnswered = false;
            try
            {
                await CommandAsync(IpmiCommands.NetFnChassis, IpmiCommands.GetChassisStatus, 0, cancellationToken).ConfigureAwait(false);
                if (_lateAnswered)
                {
                    // The control command's own reply came late, during the read-back: it was carried out once.
                    RmcpPlusCodec.ThrowOnCompletionCode(_lateCompletionCode, name);
                    return;
                }

                RmcpPlusCodec.ThrowOnCompletionCode(_completionCode, "Get Chassis Status");
                status = IpmiCommands.ParseChassisStatus(Response);
            }
            catch (BmcException e) when (e.Kind is not BmcErrorKind.CompletionCode || !_lateAnswered)
            {
                throw new BmcException(BmcErrorKind.Timeout,
                    $"{name}: outcome unknown, not sent again: {lost.Message} The chassis state could not be read back either: {e.Message}", e);
            }
            finally
            {
                _lateCmd = 0;
            }

            bool done = action switch
            {
                ChassisControl.PowerOn => status.PowerOn,
                ChassisControl.PowerOff or ChassisControl.SoftOff or ChassisControl.PowerCycle => !status.PowerOn,
                _ => false,
            };
            if (done)
            {
                return;
            }

            string state = status.PowerOn ? "on" : "off";
            if (action is not (ChassisControl.PowerOn or ChassisControl.PowerOff))
            {
                throw new BmcException(BmcErrorKind.Timeout,
                    $"{name}: outcome unknown, not sent again (the chassis reads power {state}, which cannot tell whether it took effect): {lost.Message}", lost);
            }

            if (sent > _options.Retries || Remaining <= TimeSpan.Zero)
            {
                throw new BmcException(BmcErrorKind.Timeout,
                    $"{name}: sent {sent} time(s), each reply lost, and the chassis still reads power {state}: {lost.Message}", lost);
            }

            Retransmissions++; // the state shows it did not take effect: sending it again is safe
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
        catch (BmcException e) when (e.Kind == BmcErrorKind.Timeout && !fresh && Remaining > TimeSpan.Zero)
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
        if (_transportUsed)
        {
            // A new session gets a new source port: replies to the old session (and a BMC's per-address
            // session state, as pyghmi keeps it) stay with the old socket.
            IpmiUdpTransport fresh = new(_options.Endpoint);
            _transport.Dispose();
            _transport = fresh;
        }

        _transportUsed = true;
        await ExchangeAsync(Step.ChannelAuthCapabilities, "Get Channel Authentication Capabilities", _options.Retries, cancellationToken).ConfigureAwait(false);
        await ExchangeAsync(Step.OpenSession, "Open Session", _options.Retries, cancellationToken).ConfigureAwait(false);
        try
        {
            await ExchangeAsync(Step.Rakp1, "RAKP 1/2", _options.Retries, cancellationToken).ConfigureAwait(false);
        }
        catch (BmcException e) when (e.Kind == BmcErrorKind.Timeout)
        {
            // ipmi_sim answers an unknown user with RAKP 2 status 0x0D; pyghmi and some BMCs stay silent.
            throw new BmcException(BmcErrorKind.Timeout,
                $"{e.Message} The BMC answered Open Session, so it is up: it may not know user '{_options.Credentials.UserName}' (some BMCs send no RAKP 2 for an unknown user).", e);
        }

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
    /// One request/reply exchange with bounded retransmission, within the call's time. Well-formed
    /// replies that answer something else are stale: counted and ignored; malformed ones are counted
    /// and dropped (a stray or forged datagram cannot end the exchange), and named in the error if no
    /// valid reply comes. ICMP port unreachable ends it at once with <see cref="BmcErrorKind.Unreachable"/>.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ExchangeAsync(Step step, string name, int retries, CancellationToken cancellationToken)
    {
        BmcException? malformed = null;
        long begin = Stopwatch.GetTimestamp();
        int attempts = 0;
        bool cut = false;
        for (int attempt = 0; attempt <= retries; attempt++)
        {
            TimeSpan remaining = Remaining;
            if (remaining <= TimeSpan.Zero)
            {
                cut = true;
                break;
            }

            int length = Write(step);
            if (length == 0)
            {
                throw new BmcException(BmcErrorKind.InvalidArgument, $"{name}: request does not fit a datagram.");
            }

            if (attempt > 0)
            {
                Retransmissions++;
            }

            attempts++;
            if (!await _transport.SendAsync(_tx.AsMemory(0, length), cancellationToken).ConfigureAwait(false))
            {
                throw Unreachable(name, begin);
            }

            long start = Stopwatch.GetTimestamp();
            TimeSpan wait = remaining < _options.Timeout ? remaining : _options.Timeout;
            cut = wait < _options.Timeout;
            while (true)
            {
                TimeSpan left = wait - Stopwatch.GetElapsedTime(start);
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                int received = await _transport.ReceiveAsync(_rx, left, cancellationToken).ConfigureAwait(false);
                if (received == IpmiUdpTransport.TimedOut)
                {
                    break;
                }

                if (received == IpmiUdpTransport.Refused)
                {
                    throw Unreachable(name, begin);
                }

                try
                {
                    if (Read(step, _rx.AsSpan(0, received)))
                    {
                        return;
                    }

                    RepliesStale++;
                }
                catch (BmcException e) when (e.Kind == BmcErrorKind.MalformedReply)
                {
                    RepliesDropped++;
                    malformed = e;
                }
            }
        }

        string where = string.Create(CultureInfo.InvariantCulture,
            $"{_options.Endpoint} after {attempts} attempt(s) of at most {_options.Timeout.TotalMilliseconds:0} ms ({Stopwatch.GetElapsedTime(begin).TotalMilliseconds:0} ms{(cut ? $"; the call's {_options.EffectiveCallTimeout.TotalMilliseconds:0} ms are used up" : string.Empty)})");
        if (malformed is not null)
        {
            throw new BmcException(BmcErrorKind.MalformedReply, $"{name}: no valid reply from {where}; last reply was malformed: {malformed.Message}", malformed);
        }

        throw new BmcException(BmcErrorKind.Timeout, $"{name}: no reply from {where}.");
    }

    private BmcException Unreachable(string name, long begin) => new(BmcErrorKind.Unreachable, string.Create(CultureInfo.InvariantCulture,
        $"{name}: {_options.Endpoint} is unreachable: ICMP port unreachable after {Stopwatch.GetElapsedTime(begin).TotalMilliseconds:0} ms (nothing listens on that port; IPMI over LAN off or the wrong address)."));

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
        _ => ReadCommandResponse(datagram),
    };

    private bool ReadCommandResponse(ReadOnlySpan<byte> datagram)
    {
        if (_lateCmd == 0)
        {
            return _codec.ReadResponse(datagram, _netFn, _cmd, _rqSeq, out _completionCode, _response, out _responseLength);
        }

        int answered = _codec.ReadEitherResponse(datagram, _netFn, _cmd, _rqSeq, _lateCmd, _lateRqSeq, out byte cc, _response, out _responseLength);
        if (answered == 2)
        {
            _lateAnswered = true;
            _lateCompletionCode = cc;
        }
        else
        {
            _completionCode = cc;
        }

        return answered != 0;
    }

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
