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
catch (IOException e) when (e.Message.Contains("bind", StringComparison.OrdinalIgnoreCase))
{
    Console.Error.WriteLine($"Could not open a listener: {e.Message}");
    Console.Error.WriteLine("Another program may hold that port; choose another, e.g. --Board:Port=18080 (0 picks a free port).");
    return 3;
}
