using System.Collections.Generic;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace BpfSkeleton.Tasks
{
    /// <summary>
    /// Picks the objects to skeletonize: every candidate marked <c>BpfSkeletonRequired</c> (x.bpf.o,
    /// BpfObject, BpfCompile outputs), which must exist, and any other '.o' whose ELF header says EM_BPF.
    /// </summary>
    public sealed class FindBpfObjects : Task
    {
        private const int ElfHeaderPrefixLength = 20; // e_ident (16) + e_type (2) + e_machine (2)
        private const int MachineBpf = 247;           // EM_BPF

        /// <summary>AdditionalFiles '.o' items, BpfObject items and BpfCompile outputs.</summary>
        [Required] public ITaskItem[] Candidates { get; set; } = System.Array.Empty<ITaskItem>();

        /// <summary>The BPF objects among them.</summary>
        [Output] public ITaskItem[] Objects { get; set; } = System.Array.Empty<ITaskItem>();

        /// <inheritdoc />
        public override bool Execute()
        {
            var found = new List<ITaskItem>();
            foreach (var item in Candidates)
            {
                var path = item.GetMetadata("FullPath");
                if (item.GetMetadata("BpfSkeletonRequired") == "true")
                {
                    if (File.Exists(path)) found.Add(item);
                    else Log.LogError(null, BuildErrors.ObjectMissingCode, null, BuildEngine?.ProjectFileOfTaskNode, 0, 0, 0, 0,
                        BuildErrors.ObjectMissing(ItemType(item), item.ItemSpec));
                }
                else if (IsBpfElf(path)) found.Add(item);
            }
            Objects = found.ToArray();
            return !Log.HasLoggedErrors;
        }

        private static string ItemType(ITaskItem item)
        {
            var type = item.GetMetadata("BpfSkeletonItemType");
            return type.Length > 0 ? type : "AdditionalFiles";
        }

        private static bool IsBpfElf(string path)
        {
            var header = new byte[ElfHeaderPrefixLength];
            var read = 0;
            try
            {
                using var stream = File.OpenRead(path);
                while (read < header.Length)
                {
                    var n = stream.Read(header, read, header.Length - read);
                    if (n == 0) break;
                    read += n;
                }
            }
            catch (IOException) { return false; }
            catch (System.UnauthorizedAccessException) { return false; }
            if (read < header.Length || header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') return false;
            var bigEndian = header[5] == 2; // EI_DATA: ELFDATA2MSB
            var machine = bigEndian ? (header[18] << 8) | header[19] : header[18] | (header[19] << 8);
            return machine == MachineBpf;
        }
    }
}
