using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace BpfSkeleton.Tasks
{
    /// <summary>
    /// Gives each <c>BpfCompile</c> item the headers its last compile read (clang's dependency file) as
    /// <c>Dependencies</c> metadata, so the compile target rebuilds exactly the objects whose headers changed.
    /// Without a dependency file (never compiled, or compiled by an older package) the metadata names the
    /// missing file itself, which MSBuild takes as out of date.
    /// </summary>
    public sealed class ReadBpfDependencies : Task
    {
        /// <summary>The BpfCompile items, each with <c>DependencyFile</c> metadata.</summary>
        [Required] public ITaskItem[] Sources { get; set; } = System.Array.Empty<ITaskItem>();

        /// <summary>The same items with <c>Dependencies</c> set.</summary>
        [Output] public ITaskItem[] SourcesWithDependencies { get; set; } = System.Array.Empty<ITaskItem>();

        /// <inheritdoc />
        public override bool Execute()
        {
            var result = new ITaskItem[Sources.Length];
            for (var i = 0; i < Sources.Length; i++)
            {
                var item = new TaskItem(Sources[i]);
                var dependencyFile = item.GetMetadata("DependencyFile");
                item.SetMetadata("Dependencies", File.Exists(dependencyFile)
                    ? string.Join(";", System.Linq.Enumerable.Select(DependencyFile.Prerequisites(File.ReadAllText(dependencyFile)), Escape))
                    : Escape(dependencyFile));
                result[i] = item;
            }
            SourcesWithDependencies = result;
            return true;
        }

        // Metadata set here is read as MSBuild-escaped text: only the ';' between paths may split the list.
        private static string Escape(string path)
        {
            var escaped = new System.Text.StringBuilder(path.Length);
            foreach (var c in path)
            {
                if (c == '%' || c == ';' || c == '$' || c == '@' || c == '\'' || c == '*' || c == '?') escaped.Append('%').Append(((int)c).ToString("X2"));
                else escaped.Append(c);
            }
            return escaped.ToString();
        }
    }
}
