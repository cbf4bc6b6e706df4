using SocketHub.Server.Hosting;

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
