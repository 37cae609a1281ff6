namespace EdgeGovernor.Protocol.Contracts;

/// <summary>
/// The accepted ranges of the load-contract messages' fields, checked where they are decoded (the messages'
/// <c>TryRead</c>, <see cref="ContractMessage.TryRead"/>, <see cref="ContractJournalRecord.TryRead"/>); the contract's own
/// bounds (its unit cap, its price range, the job classes it accepts) are checked by <see cref="ContractExchange"/>
/// against the receiver's copy of the contract.
/// </summary>
public static class ContractLimits
{
    /// <summary>Money on the wire is in millionths of the run's currency (a price per unit, a payment).</summary>
    public const long MicrosPerUnitOfMoney = 1_000_000;

    /// <summary>Highest unit price: 1000 units of money per unit of work (the policy's <c>LoadContract.MaxPrice</c>), in micros.</summary>
    public const uint MaxUnitPriceMicros = 1000 * (uint)MicrosPerUnitOfMoney;

    /// <summary>Most units one transfer carries (the policy's <c>LoadContract.MaxUnitsPerHourLimit</c>).</summary>
    public const uint MaxUnits = 100_000;

    /// <summary>Job classes are 0..63 (a contract's accepted classes are a 64-bit set).</summary>
    public const byte MaxJobClass = 63;

    /// <summary>The highest transfer sequence (2^63 - 1); a sender numbers its transfers from 1 and never wraps.</summary>
    public const ulong MaxSequence = long.MaxValue;

    /// <summary>Earliest accepted deadline: 2000-01-01T00:00:00Z in unix milliseconds.</summary>
    public const long MinDeadlineMs = 946_684_800_000;

    /// <summary>Latest accepted deadline: 2200-01-01T00:00:00Z in unix milliseconds.</summary>
    public const long MaxDeadlineMs = 7_258_118_400_000;

    /// <summary>Longest accepted span from the decide-by deadline to the run-by deadline: 7 days.</summary>
    public const long MaxRunSpanMs = 7L * 24 * 3600 * 1000;

    /// <summary>True for a decide-by / run-by pair an offer may carry: both within
    /// <see cref="MinDeadlineMs"/>..<see cref="MaxDeadlineMs"/>, decide-by strictly before run-by, at most
    /// <see cref="MaxRunSpanMs"/> apart.</summary>
    public static bool AreDeadlinesPlausible(long decideByMs, long runByMs) =>
        decideByMs >= MinDeadlineMs && runByMs <= MaxDeadlineMs && decideByMs < runByMs && runByMs - decideByMs <= MaxRunSpanMs;

    /// <summary>The payment for <paramref name="units"/> at <paramref name="unitPriceMicros"/>, in micros (exact: at most
    /// 10^5 × 10^9, far inside a long).</summary>
    public static long Payment(uint units, uint unitPriceMicros) => (long)units * unitPriceMicros;
}
