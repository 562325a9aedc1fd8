using System;
using System.Linq;
using System.Text;
using BpfSkeleton;
using BpfSkeleton.Kernel;

// Runs one privileged operation, started by the kernel tests as an unprivileged user (with or without
// capabilities). Exit codes: 0 = a permission error (message on stdout), 1 = the operation succeeded,
// 2 = some other error. Modes:
//   (none)                               create a ring buffer map
//   struct_ops OBJECT MAP NAME           load struct_ops map MAP of OBJECT renamed NAME, and register it
//   tracepoint OBJECT PROGRAM            load PROGRAM of OBJECT alone and attach it to its tracepoint
//   load OBJECT PROGRAM                  load PROGRAM of OBJECT alone, with only the maps it uses
//   map TYPE                             create a map of BpfMapType TYPE
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
        case "load":
            LoadAlone(args[1], args[2]).Dispose();
            Console.WriteLine($"loaded {args[2]}");
            break;
        case "map":
            var type = Enum.Parse<BpfMapType>(args[1]);
            using (var map = BpfMap.Create(new BpfMapCreateOptions { Type = type, Name = "probe", KeySize = 4, ValueSize = 4, MaxEntries = 4 }))
                Console.WriteLine($"created {map}");
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
    using var obj = LoadAlone(path, programName);
    using (obj.Program(programName).Attach())
        Console.WriteLine($"attached {programName}");
}

// One program and the maps it uses: other maps may need capabilities of their own (a sockmap needs CAP_NET_ADMIN).
static BpfObject LoadAlone(string path, string programName)
{
    var obj = BpfObject.Open(path);
    try
    {
        foreach (var program in obj.Programs) program.AutoLoad = program.Name == programName;
        var used = obj.Program(programName).Spec.Relocations.Select(r => r.TargetName).ToHashSet();
        foreach (var map in obj.Maps)
            if (map.Spec.DataSection is null && !used.Contains(map.Name)) map.AutoCreate = false;
        obj.Load();
        return obj;
    }
    catch
    {
        obj.Dispose();
        throw;
    }
}
