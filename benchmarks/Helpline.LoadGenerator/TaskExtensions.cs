namespace Helpline.LoadGenerator;

internal static class TaskExtensions
{
    /// <summary>Awaits a loop that ends by being cancelled.</summary>
    public static async Task IgnoringCancellation(this Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
