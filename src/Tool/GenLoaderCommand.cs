using System;
using System.IO;
using BpfSkeleton.Light;

namespace BpfSkeleton.Tool
{
    /// <summary>
    /// bpfsk gen-loader: opens an object and records its light skeleton loader (<see cref="BpfLoaderImage.Record"/>),
    /// written as bytes or, for the build, as base64 text the generator embeds. An object the light path cannot
    /// serve is an MSBuild-format error BPFSK021 at the object, naming each feature.
    /// </summary>
    internal static class GenLoaderCommand
    {
        public const string RefusedId = "BPFSK021";

        public static int Run(ReadOnlySpan<string> args)
        {
            string? input = null, output = null;
            bool base64 = false;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "-o" when i + 1 < args.Length: output = args[++i]; break;
                    case "--base64": base64 = true; break;
                    default:
                        if (input is not null || args[i].StartsWith('-')) return Usage.Show($"gen-loader: unexpected '{args[i]}'");
                        input = args[i];
                        break;
                }
            }
            if (input is null || output is null) return Usage.Show("gen-loader needs an object and -o FILE");

            BpfLoaderImage image;
            try
            {
                using var obj = BpfObject.Open(input);
                image = BpfLoaderImage.Record(obj);
            }
            catch (Exception e) when (e is BpfException or IOException or UnauthorizedAccessException)
            {
                // Canonical MSBuild error format: the build shows it at the object, with its code.
                Console.Error.WriteLine($"{Path.GetFullPath(input)} : error {RefusedId}: {e.Message}");
                return 1;
            }
            var bytes = image.ToBytes();
            // Written whole then renamed: an interrupted build never leaves half a loader behind.
            var temporary = output + ".tmp";
            if (base64) File.WriteAllText(temporary, Convert.ToBase64String(bytes));
            else File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, output, overwrite: true);
            Console.WriteLine($"{Path.GetFileName(input)}: loader of {image.InstructionCount} instructions, {image.DataSize} bytes of data, {image.StepCount} steps -> {output}");
            return 0;
        }
    }
}
