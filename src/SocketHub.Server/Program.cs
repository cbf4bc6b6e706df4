using SocketHub.Server.Hosting;
using SocketHub.Server.Ops;

if (args is [HealthProbe.Command, ..])
{
    return await HealthProbe.RunAsync(args[1..]);
}

try
{
    await using var app = await SocketHubHost.StartAsync(args);
    await app.WaitForShutdownAsync();
    return 0;
}
catch (InvalidSettingsException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (PortInUseException e)
{
    Console.Error.WriteLine(e.Message);
    return 3;
}
