using System;
using BpfSkeleton.LightColdStart;

// Opens, loads and attaches one generated skeleton, then exits (disposing everything): the whole life of a
// small BPF tool. Usage: BpfSkeleton.LightColdStart probe|probe-regular|tcp|tcp-regular
switch (args.Length == 1 ? args[0] : "")
{
    case "probe":
    {
        using var skeleton = ProbeLight.Open();
        skeleton.Rodata.TargetPid = Environment.ProcessId;
        skeleton.Load();
        skeleton.Attach();
        return skeleton.Links.Count == 1 ? 0 : 1;
    }
    case "probe-regular":
    {
        using var skeleton = ProbeRegular.Open();
        skeleton.Rodata.TargetPid = Environment.ProcessId;
        skeleton.Load();
        skeleton.Attach();
        return skeleton.Links.Count == 1 ? 0 : 1;
    }
    case "tcp":
    {
        using var skeleton = TcpLight.Open();
        skeleton.Load();
        skeleton.Attach();
        return skeleton.Links.Count == 1 ? 0 : 1;
    }
    case "tcp-regular":
    {
        using var skeleton = TcpRegular.Open();
        skeleton.Load();
        skeleton.Attach();
        return skeleton.Links.Count == 1 ? 0 : 1;
    }
    default:
        Console.Error.WriteLine("usage: BpfSkeleton.LightColdStart probe|probe-regular|tcp|tcp-regular");
        return 2;
}
