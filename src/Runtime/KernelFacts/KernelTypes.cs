using System;
using System.Collections.Concurrent;
using System.Threading;
using System.IO;
using BpfSkeleton.Btf;
using BpfSkeleton.Loading;
using BpfSkeleton.Logging;

namespace BpfSkeleton.KernelFacts
{
    /// <summary>
    /// The running kernel's BTF (vmlinux, then module BTF split on top of it), parsed once per
    /// process with the shared BTF model. Loads that need kernel types (struct_ops, CO-RE,
    /// tracing attach targets, kfuncs) share it.
    /// </summary>
    internal static class KernelTypes
    {
        internal const string VmlinuxPath = "/sys/kernel/btf/vmlinux";
        private const string ModuleDirectory = "/sys/kernel/btf";

        private static readonly Lazy<BtfSpec> s_vmlinux = new(() => Read(VmlinuxPath, baseSpec: null));
        // Created on first use, not in the static constructor: most processes read only vmlinux, and creating them
        // loaded System.Collections.Concurrent.dll and built two dictionaries on every process's first load.
        private static ConcurrentDictionary<string, BtfSpec>? s_custom;
        private static ConcurrentDictionary<string, BtfSpec?>? s_modules;

        private static ConcurrentDictionary<string, BtfSpec> Custom
            => Volatile.Read(ref s_custom) ?? Interlocked.CompareExchange(ref s_custom, new(), null) ?? s_custom!;

        private static ConcurrentDictionary<string, BtfSpec?> Modules
            => Volatile.Read(ref s_modules) ?? Interlocked.CompareExchange(ref s_modules, new(), null) ?? s_modules!;

        /// <summary>vmlinux BTF, or the custom file the object was opened with (its <c>BpfOpenOptions.KernelBtfPath</c>).</summary>
        public static BtfSpec For(string? kernelBtfPath)
            => kernelBtfPath is null ? Vmlinux : Custom.GetOrAdd(kernelBtfPath, path => Read(path, null));

        public static BtfSpec Vmlinux => s_vmlinux.Value;

        /// <summary>Whether vmlinux's enum <paramref name="enumName"/> has the enumerator <paramref name="valueName"/>.</summary>
        public static bool HasEnumValue(string enumName, string valueName)
        {
            if (!Vmlinux.TryFindByName(enumName, BtfKind.Enum, out var id)) return false;
            var type = Vmlinux.GetType(id);
            for (var i = 0; i < type.Vlen; i++)
                if (type.GetEnumValue(i).Name == valueName) return true;
            return false;
        }

        /// <summary>Names of the loaded modules that expose BTF.</summary>
        public static string[] ModuleNames()
        {
            if (!Directory.Exists(ModuleDirectory)) return Array.Empty<string>();
            var files = Directory.GetFiles(ModuleDirectory);
            var names = new System.Collections.Generic.List<string>(files.Length);
            foreach (var file in files)
            {
                var name = Path.GetFileName(file);
                if (name != "vmlinux") names.Add(name);
            }
            names.Sort(StringComparer.Ordinal);
            return names.ToArray();
        }

        /// <summary>The BTF of every loaded module that has one, by module name.</summary>
        public static System.Collections.Generic.IReadOnlyList<BtfSpec> LoadedModules()
        {
            var modules = new System.Collections.Generic.List<BtfSpec>();
            foreach (var name in ModuleNames())
                if (Module(name) is { } module) modules.Add(module);
            return modules;
        }

        /// <summary>A module's BTF, split on top of vmlinux; null if it cannot be read.</summary>
        public static BtfSpec? Module(string name)
            => Modules.GetOrAdd(name, n =>
            {
                try { return Read(Path.Combine(ModuleDirectory, n), Vmlinux); }
                catch (IOException) { return null; }
                catch (UnauthorizedAccessException) { return null; }
            });

        private static BtfSpec Read(string path, BtfSpec? baseSpec)
        {
            using var trace = LoadTrace.Phase($"kernel BTF: {path} mapped or read, and parsed");
            ReadOnlyMemory<byte> bytes;
            try
            {
                bytes = KernelBtfMapping.TryMap(path) ?? File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BpfLoadException(
                    $"read kernel BTF '{path}': {e.Message} — the kernel needs CONFIG_DEBUG_INFO_BTF, or pass BpfOpenOptions.KernelBtfPath", e);
            }
            var spec = BtfSpec.Parse(bytes, path, baseSpec);
            LoaderLog.KernelBtfRead(path, bytes.Length, spec.TypeCount);
            return spec;
        }
    }
}
