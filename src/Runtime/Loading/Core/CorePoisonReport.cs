using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BpfSkeleton.Loading
{
    /// <summary>Names the CO-RE relocation behind a verifier rejection of a poisoned instruction.</summary>
    internal static class CorePoisonReport
    {
        private static readonly string s_poison = "unknown#" + CoreInstructionPatcher.PoisonHelper.ToString(CultureInfo.InvariantCulture);
        private static readonly Regex s_poisonCall = new(@"^(\d+): \(85\) call " + s_poison, RegexOptions.Multiline | RegexOptions.CultureInvariant);

        public static bool ReachedPoison(string verifierLog) => verifierLog.Contains("invalid func " + s_poison);

        /// <summary>The poisoned relocation the verifier stopped at (the last poison call it printed), or all of them.</summary>
        public static string Describe(string verifierLog, IReadOnlyDictionary<int, string> poisoned)
        {
            var calls = s_poisonCall.Matches(verifierLog);
            if (calls.Count > 0 &&
                int.TryParse(calls[calls.Count - 1].Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var at))
            {
                // The second half of a poisoned LD_IMM64 is poisoned too; it belongs to the instruction before.
                if (poisoned.TryGetValue(at, out var what) || poisoned.TryGetValue(at - 1, out what)) return what;
            }
            return string.Join("; ", poisoned.Values);
        }
    }
}
