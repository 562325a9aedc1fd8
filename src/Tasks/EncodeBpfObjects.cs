using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace BpfSkeleton.Tasks
{
    /// <summary>
    /// Writes each object base64-encoded to its <c>BpfSkeletonEncodedPath</c>: Roslyn reads AdditionalFiles
    /// as text, so the generator gets the exact bytes this way. Written to a temporary file and moved, so an
    /// interrupted build never leaves half an encoding.
    /// </summary>
    public sealed class EncodeBpfObjects : Task
    {
        /// <summary>The objects, each with <c>BpfSkeletonEncodedPath</c> metadata.</summary>
        [Required] public ITaskItem[] Objects { get; set; } = Array.Empty<ITaskItem>();

        /// <inheritdoc />
        public override bool Execute()
        {
            foreach (var item in Objects)
            {
                var target = item.GetMetadata("BpfSkeletonEncodedPath");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var temporary = target + ".tmp";
                File.WriteAllText(temporary, Convert.ToBase64String(File.ReadAllBytes(item.GetMetadata("FullPath"))));
                if (File.Exists(target)) File.Delete(target);
                File.Move(temporary, target);
            }
            return true;
        }
    }
}
