namespace EdgeGovernor.TestSupport.Ipmi;

/// <summary>A fact that needs pyghmi (python3-pyghmi); skipped with the reason when it is missing.</summary>
public sealed class PyghmiFactAttribute : FactAttribute
{
    public PyghmiFactAttribute()
    {
        if (PyghmiBmcProcess.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
