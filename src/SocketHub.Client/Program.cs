// The command-line client arrives with its own issue; until then it only says so.
Console.Error.WriteLine("sockethub: the client is not built yet; use nc or telnet (see README.md).");
return 1;
