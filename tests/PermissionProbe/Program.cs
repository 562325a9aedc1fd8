using System;
using System.Linq;
using System.Text;
using BpfSkeleton;

// Runs one privileged operation, started by the kernel tests as an unprivileged user (with or without
// capabilities). Exit codes: 0 = a permission error (message on stdout), 1 = the operation succeeded,
// 2 = some other error. Modes:
//   (none)                               create a ring buffer map
//   struct_ops OBJECT MAP NAME           load struct_ops map MAP of OBJECT renamed NAME, and register it
//   tracepoint OBJECT PROGRAM            load PROGRAM of OBJECT alone and attach it to its tracepoint
try
{
    switch (args.FirstOrDefault())
    {
        case "struct_ops":
            RegisterStructOps(args[1], args[2], args[3]);
            break;
        case "tracepoint":
            AttachTracepoint(args[1], args[2]);
            break;
        default:
            using (var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Ringbuf, Name = "events", MaxEntries = 4096 }))
                Console.WriteLine($"created {map}");
            break;
    }
    return 1;
}
catch (BpfPermissionException e)
{
    Console.WriteLine(e.Message);
    return 0;
}
catch (Exception e)
{
    Console.WriteLine(e);
    return 2;
}

static void RegisterStructOps(string path, string mapName, string name)
{
    using var obj = BpfObject.Open(path);
    foreach (var map in obj.StructOpsMaps) map.Map.AutoCreate = map.Name == mapName;
    var ops = obj.StructOps(mapName);
    // A name of its own: tests running at the same time register the object's names.
    var bytes = ops.WriteMember(ops.Member("name"));
    bytes.Clear();
    Encoding.ASCII.GetBytes(name).CopyTo(bytes);
    obj.Load();
    using (ops.Register())
        Console.WriteLine($"registered {name}");
}

static void AttachTracepoint(string path, string programName)
{
    using var obj = BpfObject.Open(path);
    foreach (var program in obj.Programs) program.AutoLoad = program.Name == programName;
    obj.Load();
    using (obj.Program(programName).Attach())
        Console.WriteLine($"attached {programName}");
}
