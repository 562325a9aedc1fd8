using System;

namespace BpfSkeleton.Btf
{
    /// <summary>
    /// libbpf's "essential" type name: without a <c>___flavor</c> suffix, found as the last
    /// <c>X___Y</c> where neither X nor Y is an underscore. CO-RE candidate search and struct_ops
    /// kernel type lookup both compare essential names.
    /// </summary>
    internal static class BtfNames
    {
        public static int EssentialLength(ReadOnlySpan<byte> name)
        {
            for (var i = name.Length - 5; i >= 0; i--)
                if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' && name[i + 3] == '_' && name[i + 4] != '_')
                    return i + 1;
            return name.Length;
        }

        public static string EssentialName(string name)
        {
            for (var i = name.Length - 5; i >= 0; i--)
                if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' && name[i + 3] == '_' && name[i + 4] != '_')
                    return name.Substring(0, i + 1);
            return name;
        }
    }
}
