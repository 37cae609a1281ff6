using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// Load-contract messages and journal records (issue 16). The first byte picks the parser: 0, a contract message from
/// board 1 into board 2's <see cref="ContractExchange"/> (signature check, every body parser, the receiver's steps);
/// 1, the same from board 2 into board 1, which has an open offer to board 2 (the owner's steps); 2, a
/// <see cref="ContractJournalRecord"/> and, when it decodes, an exchange restored from it (a record that cannot be
/// restored is refused with <see cref="InvalidDataException"/>, the documented result). Any other exception is a finding.
/// </summary>
internal sealed class ContractTarget : IFuzzTarget
{
    private const uint ClusterId = 0x45474F56;
    private const long Now = 1_717_200_000_000;

    private static readonly ContractTerms AtOwner = new(11, new NodeId(2), 5_000, 25_000, 40, ClassesOut: 1, ClassesIn: 1, Now - 1, Now + 86_400_000);
    private static readonly ContractTerms AtReceiver = AtOwner with { Partner = new NodeId(1) };

    private ContractEffects? _effects;

    public string Name => "contracts";

    public string Description => "load-contract messages into two boards' ContractExchange, and contract journal records";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        ReadOnlySpan<byte> body = input[1..];
        _effects ??= new ContractEffects(); // built on the first run, not in the constructor (SharpFuzz's coverage map)
        _effects.Clear();
        switch (input[0] % 3)
        {
            case 0:
                Board(2, AtReceiver).Receive(new NodeId(1), body, Now + 1_000, _effects);
                break;
            case 1:
                ContractExchange owner = Board(1, AtOwner);
                owner.TryOffer(11, 0, 4, 15_000, Now + 60_000, Now + 3_600_000, Now, _effects, out _);
                _effects.Clear();
                owner.Receive(new NodeId(2), body, Now + 1_000, _effects);
                owner.Tick(Now + 120_000, _effects);
                break;
            default:
                if (ContractJournalRecord.TryRead(body, out ContractJournalRecord record))
                {
                    try
                    {
                        new ContractExchange(Options(1), FuzzSigning.Signer(1), FuzzSigning.Roster, [record], Now).Tick(Now, _effects);
                    }
                    catch (InvalidDataException)
                    {
                    }
                }
                break;
        }
    }

    public IEnumerable<byte[]> Seeds()
    {
        // A real signed offer from board 1 to board 2, and the journal record board 1 wrote before sending it.
        var effects = new ContractEffects();
        var journal = new List<ContractJournalRecord>();
        ContractExchange owner = Board(1, AtOwner);
        owner.TryOffer(11, 0, 4, 15_000, Now + 60_000, Now + 3_600_000, Now, effects, out _);
        for (int i = 0; i < effects.Count; i++)
        {
            if (effects[i].Kind == ContractEffectKind.Send)
            {
                yield return [0, .. effects.Payload(i)];
            }
            else if (effects[i].Kind == ContractEffectKind.Journal)
            {
                journal.Add(effects[i].Record);
            }
        }

        foreach (ContractJournalRecord r in journal)
        {
            byte[] bytes = new byte[ContractJournalRecord.Size];
            if (r.TryWrite(bytes))
            {
                yield return [2, .. bytes];
            }
        }

        yield return [1, 0xC7, 0, 0, 0];
    }

    private static ContractExchangeOptions Options(uint self) => new() { Self = new NodeId(self), ClusterId = ClusterId, RetryMs = 1_000, QueryAfterMs = 2_000 };

    private static ContractExchange Board(uint self, ContractTerms terms)
    {
        var exchange = new ContractExchange(Options(self), FuzzSigning.Signer(self), FuzzSigning.Roster, [], Now);
        exchange.AddContract(terms);
        return exchange;
    }
}
