using System;

namespace BpfSkeleton.Tool
{
    /// <summary>The verbs, for -h and for a wrong command line.</summary>
    internal static class Usage
    {
        private const string Text = """
            usage: bpfsk VERB ...
              gen-loader OBJECT.bpf.o -o FILE [--base64]   record OBJECT's light skeleton loader (what Light="true" builds)
                  [--sign-key KEY.pem --sign-cert CERT.pem]  signable, and signed (PKCS#7, SHA-256) for BPF program signatures
              dump OBJECT.bpf.o...                         programs, maps, global variables, struct_ops and externs of objects
              struct-ops list                              struct_ops maps in the kernel, registered or not
              struct-ops unregister ID|NAME                unregister a struct_ops map (plain or .struct_ops.link)
            """;

        public static int Show(string? problem = null, int exitCode = 2)
        {
            if (problem is not null) Console.Error.WriteLine($"bpfsk: {problem}");
            (exitCode == 0 ? Console.Out : Console.Error).WriteLine(Text);
            return exitCode;
        }
    }
}
