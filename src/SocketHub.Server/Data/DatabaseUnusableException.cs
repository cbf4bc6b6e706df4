namespace SocketHub.Server.Data;

/// <summary>
/// The database file cannot be used (not a database, damaged, or in a folder the server cannot
/// write): the start stops with this one-line message and exit code 2, like a bad setting,
/// instead of crashing (which under <c>restart: unless-stopped</c> would loop).
/// </summary>
public sealed class DatabaseUnusableException(string file, string problem, Exception? inner = null)
    : Exception($"The database {file} cannot be used: {problem}. Stop the server and restore the data folder from a backup (see the README, 'Data and logs'), or move the file away to start with an empty database; a read-only folder needs write access for the server.", inner);
