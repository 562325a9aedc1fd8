using System.Collections.Generic;
using BpfSkeleton.Elf;
using BpfSkeleton.Interop;

namespace BpfSkeleton.Links
{
    /// <summary>
    /// Turns USDT notes into uprobe locations. A note records link-time virtual addresses; uprobes take
    /// file offsets, found through the PT_LOAD segment containing each address (as libbpf does, for
    /// executables, PIE and shared objects alike). The probe must be in an executable segment, the
    /// semaphore in a non-executable one.
    /// </summary>
    internal static class UsdtSites
    {
        /// <summary>Every call site of <paramref name="provider"/>:<paramref name="name"/> in <paramref name="elf"/>; throws when there is none.</summary>
        public static List<UsdtSite> Find(ElfFile elf, string provider, string name)
        {
            string operation = $"find USDT probe {provider}:{name} in '{elf.FileName}'";
            if (elf.Type != ElfConstants.ET_EXEC && elf.Type != ElfConstants.ET_DYN)
                throw new BpfException(operation, Errno.EINVAL, $"ELF type {elf.Type} is neither an executable nor a shared object");
            List<UsdtNote> notes = UsdtNotes.Read(elf);
            ulong stapsdtBase = elf.FindSection(UsdtNotes.BaseSection)?.Address ?? 0;
            var sites = new List<UsdtSite>();
            foreach (UsdtNote note in notes)
            {
                if (note.Provider == provider && note.Name == name)
                    sites.Add(Locate(elf, note, stapsdtBase));
            }
            if (sites.Count == 0)
                throw new BpfException(operation, Errno.ENOENT, Describe(notes));
            return sites;
        }

        internal static UsdtSite Locate(ElfFile elf, UsdtNote note, ulong stapsdtBase)
        {
            // Prelink moves sections but leaves notes alone: shift by how far .stapsdt.base moved.
            ulong address = note.Address;
            ulong semaphore = note.SemaphoreAddress;
            if (stapsdtBase != 0 && note.Base != 0)
            {
                address += stapsdtBase - note.Base;
                if (semaphore != 0)
                    semaphore += stapsdtBase - note.Base;
            }
            string what = $"USDT probe {note.Provider}:{note.Name} in '{elf.FileName}'";
            ElfProgramHeader code = elf.LoadSegmentContaining(address)
                ?? throw new BpfException($"place {what}", Errno.ESRCH, $"address 0x{address:x} is in no loadable segment");
            if (!code.IsExecutable)
                throw new BpfException($"place {what}", Errno.ESRCH, $"address 0x{address:x} is in segment {code}, which is not executable");
            ulong semaphoreOffset = 0;
            if (semaphore != 0)
            {
                ElfProgramHeader data = elf.LoadSegmentContaining(semaphore)
                    ?? throw new BpfException($"place the semaphore of {what}", Errno.ESRCH, $"address 0x{semaphore:x} is in no loadable segment");
                if (data.IsExecutable)
                    throw new BpfException($"place the semaphore of {what}", Errno.ESRCH, $"address 0x{semaphore:x} is in segment {data}, which is executable");
                semaphoreOffset = semaphore - data.VirtualAddress + data.Offset;
            }
            return new UsdtSite(note, address, address - code.VirtualAddress + code.Offset, semaphoreOffset);
        }

        /// <summary>"no such probe" plus what the file does have, so a typo is easy to spot.</summary>
        private static string Describe(List<UsdtNote> notes)
        {
            if (notes.Count == 0)
                return "the file has no USDT probes";
            var names = new SortedSet<string>(System.StringComparer.Ordinal);
            foreach (UsdtNote note in notes)
                names.Add($"{note.Provider}:{note.Name}");
            const int Shown = 20;
            var list = new List<string>(names);
            string shown = string.Join(", ", list.GetRange(0, System.Math.Min(Shown, list.Count)));
            return $"no such probe (the file has {shown}{(list.Count > Shown ? $", … {list.Count - Shown} more" : "")})";
        }
    }
}
