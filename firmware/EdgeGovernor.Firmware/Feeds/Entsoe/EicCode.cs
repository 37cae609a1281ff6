namespace EdgeGovernor.Firmware.Feeds.Entsoe;

/// <summary>
/// Energy Identification Codes (EIC, ENTSO-E): 16 characters from <c>0-9 A-Z -</c>, the last a check character over
/// the first 15 (values 0-9, A=10..Z=35, '-'=36; weights 16 down to 2; check value 36 - ((sum - 1) mod 37)).
/// </summary>
internal static class EicCode
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-";

    /// <summary>True when <paramref name="code"/> is a well-formed EIC with the right check character; else <paramref name="problem"/> says why.</summary>
    public static bool IsValid(string? code, out string problem)
    {
        if (code is null || code.Length != 16)
        {
            problem = $"'{code}' is not an EIC code (16 characters, e.g. 10Y1001A1001A82H)";
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 15; i++)
        {
            int value = Alphabet.IndexOf(code[i], StringComparison.Ordinal);
            if (value < 0)
            {
                problem = $"'{code}' has '{code[i]}' at position {i + 1}; an EIC code uses 0-9, A-Z and '-'";
                return false;
            }
            sum += value * (16 - i);
        }
        char check = Alphabet[36 - ((sum - 1) % 37)];
        if (code[15] != check)
        {
            problem = $"'{code}' has the check character '{code[15]}', expected '{check}' (a typing error?)";
            return false;
        }
        problem = "";
        return true;
    }
}
