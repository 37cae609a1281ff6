namespace EdgeGovernor.Protocol.Cluster;

/// <summary>
/// PARMCEA's refinement and ranking (power-aware coordinator election), allocation-free.
/// </summary>
/// <remarks>
/// <para>Refinement: members are split into low (u &lt; U_low), moderate (U_low &lt;= u &lt;= U_high) and
/// high (u &gt; U_high). Moderate workload (some moderate members): the moderate members are eligible.
/// All low: the most utilized. All high: the least utilized. Unbalanced (low and high, no moderate):
/// the highest under-utilized, i.e. the most utilized of the low members. Eligible members are ranked by
/// capacity (largest first), the smaller node id breaking ties.</para>
/// <para>Succession order: applying the refinement again to the members that are left, and again, gives a
/// total order that starts with the eligible set. It equals one sort by the key (tier, utilization key,
/// capacity descending, node id ascending) where the tier is moderate, then low, then high, the low tier is
/// ordered by utilization descending and the high tier by utilization ascending. The coordinator names its
/// alternates from this order, and a full election staggers timeouts by position in it.</para>
/// </remarks>
public static class Parmcea
{
    /// <summary>Classifies a view into one of the four refinement cases.</summary>
    public static RefinementCase Classify(ReadOnlySpan<ElectionCandidate> view, RefinementThresholds thresholds)
    {
        if (view.IsEmpty)
        {
            return RefinementCase.Empty;
        }

        bool anyLow = false, anyHigh = false;
        foreach (ref readonly ElectionCandidate c in view)
        {
            int tier = Tier(c.UtilizationBp, thresholds);
            if (tier == TierModerate)
            {
                return RefinementCase.Moderate;
            }

            anyLow |= tier == TierLow;
            anyHigh |= tier == TierHigh;
        }

        return anyLow && anyHigh ? RefinementCase.Unbalanced : anyLow ? RefinementCase.AllLow : RefinementCase.AllHigh;
    }

    /// <summary>
    /// Writes the succession order of <paramref name="view"/> into <paramref name="order"/> (same length or longer)
    /// and returns how many of its first members are eligible. Allocates nothing.
    /// </summary>
    /// <param name="view">The members to rank (voters only, if only voters may lead). Duplicates are the caller's error.</param>
    /// <param name="thresholds">U_low and U_high.</param>
    /// <param name="order">Receives the members in succession order; the first <c>eligible</c> are the eligible set in rank order.</param>
    /// <param name="refinementCase">The refinement case of the view.</param>
    /// <returns>The number of eligible members (0 only for an empty view).</returns>
    public static int Rank(
        ReadOnlySpan<ElectionCandidate> view,
        RefinementThresholds thresholds,
        Span<ElectionCandidate> order,
        out RefinementCase refinementCase)
    {
        if (order.Length < view.Length)
        {
            throw new ArgumentException($"The order span ({order.Length}) is shorter than the view ({view.Length}).", nameof(order));
        }

        refinementCase = Classify(view, thresholds);
        if (view.IsEmpty)
        {
            return 0;
        }

        Span<ElectionCandidate> target = order[..view.Length];
        view.CopyTo(target);
        HeapSort(target, new SuccessionComparer(thresholds));

        // The eligible set is the first refinement group: the whole moderate tier, or the members of the
        // first tier sharing the first member's utilization.
        ref readonly ElectionCandidate first = ref target[0];
        int firstTier = Tier(first.UtilizationBp, thresholds);
        int eligible = 1;
        while (eligible < target.Length)
        {
            ref readonly ElectionCandidate c = ref target[eligible];
            int tier = Tier(c.UtilizationBp, thresholds);
            if (tier != firstTier || (tier != TierModerate && c.UtilizationBp != first.UtilizationBp))
            {
                break;
            }

            eligible++;
        }

        return eligible;
    }

    /// <summary>
    /// The 0-based position of <paramref name="node"/> in the succession order of <paramref name="view"/>,
    /// or -1 when it is not in the view. O(n), allocates nothing, needs no scratch space.
    /// </summary>
    public static int PositionOf(ReadOnlySpan<ElectionCandidate> view, NodeId node, RefinementThresholds thresholds)
    {
        int index = -1;
        foreach (ref readonly ElectionCandidate c in view)
        {
            if (c.Node == node)
            {
                index = 0;
                var comparer = new SuccessionComparer(thresholds);
                foreach (ref readonly ElectionCandidate other in view)
                {
                    if (comparer.Compare(other, c) < 0)
                    {
                        index++;
                    }
                }

                return index;
            }
        }

        return index;
    }

    /// <summary>
    /// Writes the first <c>destination.Length</c> members of the succession order of <paramref name="view"/>,
    /// skipping <paramref name="exclude"/> (the coordinator itself), into <paramref name="destination"/> without
    /// sorting the whole view (O(n·k)). Returns how many were written. Used to name the alternates.
    /// </summary>
    public static int TopK(
        ReadOnlySpan<ElectionCandidate> view,
        RefinementThresholds thresholds,
        NodeId exclude,
        Span<NodeId> destination)
    {
        var comparer = new SuccessionComparer(thresholds);
        int count = 0;
        ElectionCandidate last = default;
        for (int k = 0; k < destination.Length; k++)
        {
            bool found = false;
            ElectionCandidate best = default;
            foreach (ref readonly ElectionCandidate c in view)
            {
                if (c.Node == exclude || (k > 0 && comparer.Compare(c, last) <= 0))
                {
                    continue;
                }

                if (!found || comparer.Compare(c, best) < 0)
                {
                    best = c;
                    found = true;
                }
            }

            if (!found)
            {
                break;
            }

            destination[count++] = best.Node;
            last = best;
        }

        return count;
    }

    /// <summary>In-place heapsort: O(n log n), no recursion, and unlike <c>Span.Sort</c> it never boxes the comparer.</summary>
    private static void HeapSort(Span<ElectionCandidate> items, SuccessionComparer comparer)
    {
        int n = items.Length;
        for (int i = (n / 2) - 1; i >= 0; i--)
        {
            SiftDown(items, i, n, comparer);
        }

        for (int end = n - 1; end > 0; end--)
        {
            (items[0], items[end]) = (items[end], items[0]);
            SiftDown(items, 0, end, comparer);
        }
    }

    private static void SiftDown(Span<ElectionCandidate> items, int root, int count, SuccessionComparer comparer)
    {
        while (true)
        {
            int child = (2 * root) + 1;
            if (child >= count)
            {
                return;
            }

            if (child + 1 < count && comparer.Compare(items[child], items[child + 1]) < 0)
            {
                child++;
            }

            if (comparer.Compare(items[root], items[child]) >= 0)
            {
                return;
            }

            (items[root], items[child]) = (items[child], items[root]);
            root = child;
        }
    }

    private const int TierModerate = 0;
    private const int TierLow = 1;
    private const int TierHigh = 2;

    private static int Tier(ushort utilizationBp, RefinementThresholds t) =>
        utilizationBp < t.LowBp ? TierLow : utilizationBp > t.HighBp ? TierHigh : TierModerate;

    /// <summary>Orders members by (tier, utilization key, capacity descending, node id ascending).</summary>
    private readonly struct SuccessionComparer(RefinementThresholds thresholds) : IComparer<ElectionCandidate>
    {
        public int Compare(ElectionCandidate x, ElectionCandidate y)
        {
            int tx = Tier(x.UtilizationBp, thresholds);
            int ty = Tier(y.UtilizationBp, thresholds);
            if (tx != ty)
            {
                return tx.CompareTo(ty);
            }

            if (tx == TierLow && x.UtilizationBp != y.UtilizationBp)
            {
                return y.UtilizationBp.CompareTo(x.UtilizationBp); // most utilized first
            }

            if (tx == TierHigh && x.UtilizationBp != y.UtilizationBp)
            {
                return x.UtilizationBp.CompareTo(y.UtilizationBp); // least utilized first
            }

            if (x.Capacity != y.Capacity)
            {
                return y.Capacity.CompareTo(x.Capacity); // largest capacity first
            }

            return x.Node.Value.CompareTo(y.Node.Value);
        }
    }
}
