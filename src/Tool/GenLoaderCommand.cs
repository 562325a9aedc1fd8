using System;
using System.IO;
using BpfSkeleton.Light;

namespace BpfSkeleton.Tool
{
    /// <summary>
    /// bpfsk gen-loader: opens an object and records its light skeleton loader (<see cref="BpfObject.RecordLoader"/>),
    /// written as bytes or, for the build, as base64 text the generator embeds. An object the light path cannot
    /// serve is an MSBuild-format error BPFSK021 at the object, naming each feature. With --sign-key and --sign-cert the
    /// loader is recorded signable and signed (<see cref="LoaderSigner"/>); a key or certificate it cannot use is BPFSK023.
    /// </summary>
    internal static class GenLoaderCommand
    {
        public const string RefusedId = "BPFSK021";

        /// <summary>The signing key or certificate is missing or unusable.</summary>
        public const string SigningId = "BPFSK023";

        public static int Run(ReadOnlySpan<string> args)
        {
            string? input = null, output = null, signKey = null, signCertificate = null;
            bool base64 = false;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "-o" when i + 1 < args.Length: output = args[++i]; break;
                    case "--base64": base64 = true; break;
                    case "--sign-key" when i + 1 < args.Length: signKey = args[++i]; break;
                    case "--sign-cert" when i + 1 < args.Length: signCertificate = args[++i]; break;
                    default:
                        if (input is not null || args[i].StartsWith('-')) return Usage.Show($"gen-loader: unexpected '{args[i]}'");
                        input = args[i];
                        break;
                }
            }
            if (input is null || output is null) return Usage.Show("gen-loader needs an object and -o FILE");
            if ((signKey is null) != (signCertificate is null)) return Usage.Show("gen-loader signs with --sign-key KEY.pem and --sign-cert CERT.pem together");
            bool sign = signKey is not null;
            if (sign)
            {
                foreach (var (file, what) in new[] { (signKey!, "signing key"), (signCertificate!, "signing certificate") })
                    if (!File.Exists(file))
                        return SigningError(input, $"the {what} '{Path.GetFullPath(file)}' does not exist");
            }

            BpfLoaderImage image;
            try
            {
                using var obj = BpfObject.Open(input);
                image = obj.RecordLoader(signable: sign);
            }
            catch (Exception e) when (e is BpfException or IOException or UnauthorizedAccessException)
            {
                // Canonical MSBuild error format: the build shows it at the object, with its code.
                Console.Error.WriteLine($"{Path.GetFullPath(input)} : error {RefusedId}: {e.Message}");
                return 1;
            }
            if (sign)
            {
                try
                {
                    image = LoaderSigner.Sign(image, signKey!, signCertificate!);
                }
                catch (Exception e) when (e is SigningException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
                {
                    return SigningError(input, e.Message);
                }
            }
            var bytes = image.ToBytes();
            // Written whole then renamed: an interrupted build never leaves half a loader behind.
            var temporary = output + ".tmp";
            if (base64) File.WriteAllText(temporary, Convert.ToBase64String(bytes));
            else File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, output, overwrite: true);
            Console.WriteLine($"{Path.GetFileName(input)}: {(sign ? "signed " : "")}loader of {image.InstructionCount} instructions, {image.DataSize} bytes of data, {image.StepCount} steps -> {output}");
            return 0;
        }

        private static int SigningError(string input, string problem)
        {
            Console.Error.WriteLine($"{Path.GetFullPath(input)} : error {SigningId}: cannot sign the light skeleton's loader: {problem}");
            return 1;
        }
    }
}
