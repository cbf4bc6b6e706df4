namespace SocketHub.Protocol.Chat;

/// <summary>Every sentence the chat sends, word for word. Both dialects use the same ones.</summary>
public static class ChatTexts
{
    public const string UsernamePrompt = "Username: ";
    public const string PasswordPrompt = "Password: ";
    public const string InvalidUsername = "Invalid username. Use 1-32 letters, digits, _ . -";
    public const string UnknownUser = "Error. Unknown user and registration is closed";
    public const string ReservedUsername = "Error. That username is reserved: it could pass for the server. Choose another";
    public const string TooManyRegistrations = "Error. Too many new accounts from your address; try again later";
    public const string AccountsFull = "Error. The chat has reached its limit of accounts; no new account can be made";
    public const string TooManyLoginAttempts = "Error. Too many login attempts from your address; try again in a minute";
    public const string EmptyPassword = "Error. Password cannot be empty";
    public const string InvalidPassword = "Invalid Password. Please try again";
    public const string NowBlocked = "Invalid Password. Your account has been blocked. Please try again later";
    public const string Blocked = "Your account is blocked due to multiple login failures. Please try again later";
    public const string AlreadyLoggedIn = "This account is already logged in.";
    public const string Welcome = "Welcome to the greatest messaging application ever!";
    public const string LoginTimedOut = "Error. Login timed out";
    public const string LoginFirst = "Error. Please log in first";
    public const string AlreadyLoggedInHere = "Error. Already logged in";

    public const string InvalidCommand = "Error. Invalid command";
    public const string InvalidUser = "Error. Invalid user";
    public const string CannotMessageSelf = "Error. Cannot message self";
    public const string RecipientBlockedYou = "Your message could not be delivered as the recipient has blocked you";
    public const string SomeRecipientsMissed = "Your message could not be delivered to some recipients";
    public const string EndOfList = "End of list.";
    public const string CannotBlockSelf = "Error. Cannot block self";
    public const string CannotUnblockSelf = "Error. Cannot unblock self";
    public const string CannotPrivateSelf = "Error. Cannot start private with self";
    public const string Goodbye = "Goodbye.";
    public const string Inactivity = "You have been logged out due to inactivity.";
    public const string LineTooLong = "Error. Line too long";
    public const string SlowDown = "Error. Slow down";
    public const string InvalidEncoding = "Error. Text must be UTF-8";
    public const string MalformedRequest = "Malformed request";
    public const string ServerError = "Error. Server error, please try again";
    public const string ShuttingDown = "SERVER: [ ALERT ] Server shutting down...";

    /// <summary>The first line of <c>help</c>; the commands follow (<see cref="ChatCommandTable.HelpLines"/>).</summary>
    public const string HelpTitle = "Commands:";

    public static string TooManyStored(string user) => $"Error. {user} has too many stored messages; try again after they log in";

    public static string UserBlocked(string user) => $"{user} is blocked";

    public static string UserUnblocked(string user) => $"{user} is unblocked";

    public static string WasNotBlocked(string user) => $"Error. {user} was not blocked";

    public static string StartPrivate(string user) => $"Start private messaging with {user}";

    public static string UserOffline(string user) => $"Error. {user} is offline";

    /// <summary>With several nodes: the peer is in the room, but on another node, and private chats pair users of one node.</summary>
    public static string OnAnotherNode(string user) => $"Error. {user} is on another node: private chats need both users on one node";

    public static string PrivateNotEnabled(string user) => $"Error. Private messaging to {user} not enabled";

    public static string PrivateStopped(string user) => $"Private messaging with {user} stopped";

    public static string NoPrivateSession(string user) => $"Error. No private session with {user}";

    public static string Usage(string synopsis) => $"Error. Usage: {synopsis}";

    public static string P2pRecorded(int port) => $"P2P port {port} recorded";

    public static string Direct(string sender, string text) => $"{sender}: {text}";

    public static string Broadcast(string sender, string text) => $"{sender} (broadcast): {text}";

    public static string Private(string sender, string text) => $"{sender} (private): {text}";

    public static string PrivateStartedBy(string sender) => $"{sender} started a private chat with you";

    public static string PrivateStoppedBy(string sender) => $"{sender} stopped the private chat";

    public static string LoggedIn(string user) => $"{user} logged in";

    public static string LoggedOut(string user) => $"{user} logged out";
}
