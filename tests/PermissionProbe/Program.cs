using System;
using BpfSkeleton;

// Exit codes: 0 = permission error as expected (message on stdout), 1 = the map was created,
// 2 = some other error.
try
{
    using var map = BpfMap.Create(new BpfMapCreateOptions { Type = BpfMapType.Ringbuf, Name = "events", MaxEntries = 4096 });
    Console.WriteLine($"created {map}");
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
