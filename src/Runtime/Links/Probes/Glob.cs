namespace BpfSkeleton.Links
{
    /// <summary>The glob that libbpf's multi-probe patterns use: '*' any run, '?' any one character.</summary>
    internal static class Glob
    {
        public static bool Matches(string pattern, string text) => Matches(pattern, 0, text, 0);

        private static bool Matches(string pattern, int p, string text, int t)
        {
            // Iterative with one backtrack point: the last '*' seen.
            int starPattern = -1, starText = 0;
            while (t < text.Length)
            {
                if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
                {
                    p++;
                    t++;
                }
                else if (p < pattern.Length && pattern[p] == '*')
                {
                    starPattern = p++;
                    starText = t;
                }
                else if (starPattern >= 0)
                {
                    p = starPattern + 1;
                    t = ++starText;
                }
                else
                {
                    return false;
                }
            }
            while (p < pattern.Length && pattern[p] == '*')
                p++;
            return p == pattern.Length;
        }
    }
}
