using EdgeGovernor.Firmware.Configuration;
using EdgeGovernor.Firmware.Hosting;
using EdgeGovernor.Protocol;
using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Fuzz.Targets;

/// <summary>
/// Records the <c>contract-journal</c> seeds: <see cref="ContractBoard"/>'s boards 1 and 2, each a real
/// <see cref="ContractExchange"/> journaling into its own <see cref="ContractFileJournal"/> in <c>directory</c>, the
/// messages carried between them in order; one transfer from board 1 to board 2, step by step, ten minutes before the
/// host's start. Each step returns board 1's journal file as it is on disk after it.
/// </summary>
internal sealed class ContractSeedRun : IDisposable
{
    private const long T0 = ContractBoard.UnixMs - 600_000;

    private readonly string _directory;
    private readonly ContractExchange[] _boards = new ContractExchange[2];
    private readonly ContractFileJournal[] _journals = new ContractFileJournal[2];
    private readonly ContractEffects _effects = new();
    private readonly ContractEffects _answers = new();
    private readonly Queue<(int To, uint From, byte[] Payload)> _wire = new();
    private long _now = T0;
    private TransferId _transfer;

    public ContractSeedRun(string directory)
    {
        _directory = directory;
        for (uint node = 1; node <= 2; node++)
        {
            _journals[node - 1] = new ContractFileJournal(Path.Combine(directory, $"board{node}"), node);
            _boards[node - 1] = new ContractExchange(ContractBoard.ExchangeOptions(node), FuzzSigning.Signer(node), FuzzSigning.Roster, [], T0);
            _boards[node - 1].AddContract(ContractDefinition.FromConfig(ContractBoard.Config(node))[0].ExchangeTerms);
        }
    }

    /// <summary>Board 1 offers board 2 <paramref name="units"/> of job class 0 (nothing delivered yet).</summary>
    public byte[] Offer(uint units)
    {
        if (!_boards[0].TryOffer(ContractBoard.ContractId, 0, units, 50_000, T0 + 60_000, T0 + (5 * 3_600_000), _now, _effects, out _transfer))
        {
            throw new InvalidOperationException("the seed offer was refused");
        }
        Carry(0, _effects);
        return File.ReadAllBytes(_journals[0].File.FilePath);
    }

    /// <summary>Carries every message until none is left (board 2 accepts the offer, board 1 commits).</summary>
    public byte[] Deliver()
    {
        while (_wire.TryDequeue(out (int To, uint From, byte[] Payload) m))
        {
            _now += 100;
            _boards[m.To].Receive(new NodeId(m.From), m.Payload, _now, _effects);
            Carry(m.To, _effects);
        }
        return File.ReadAllBytes(_journals[0].File.FilePath);
    }

    /// <summary>Board 2 reports every unit run; the report is carried to board 1.</summary>
    public byte[] ReportDone()
    {
        _now += 60_000;
        if (!_boards[1].ReportDone(_transfer, 4, _now, _effects))
        {
            throw new InvalidOperationException("the seed transfer was not committed at board 2");
        }
        Carry(1, _effects);
        return Deliver();
    }

    /// <summary>Board 2's journal file.</summary>
    public byte[] ReceiverJournal() => File.ReadAllBytes(_journals[1].File.FilePath);

    /// <summary>A journal file of <paramref name="records"/> framed by <see cref="ContractJournalFile"/> (any bytes, not only contract records).</summary>
    public byte[] Framed(params byte[][] records)
    {
        using var file = new ContractJournalFile(Path.Combine(_directory, "raw"), 1);
        file.Rewrite(records);
        return File.ReadAllBytes(file.FilePath);
    }

    public void Dispose()
    {
        foreach (ContractFileJournal j in _journals)
        {
            j.Dispose();
        }
    }

    private void Carry(int board, ContractEffects effects)
    {
        for (int i = 0; i < effects.Count; i++)
        {
            ContractEffect e = effects[i];
            switch (e.Kind)
            {
                case ContractEffectKind.Journal:
                    _journals[board].Append(e.Record);
                    break;
                case ContractEffectKind.Send:
                    _wire.Enqueue(((int)e.Message.To.Value - 1, (uint)board + 1, effects.Payload(i).ToArray()));
                    break;
                case ContractEffectKind.Judge:
                    _boards[board].Answer(e.Transfer.Offer.Transfer, RefuseReason.None, _now, _answers);
                    Carry(board, _answers);
                    break;
            }
        }
        effects.Clear();
    }
}
