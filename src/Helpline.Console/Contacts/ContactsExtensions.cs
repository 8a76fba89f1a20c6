using Helpline.Console;
using Helpline.Console.Contacts;

namespace Microsoft.Extensions.Hosting;

internal static class ContactsExtensions
{
    public static IHostApplicationBuilder AddContacts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConsoleMetrics>();
        builder.AddHelplineMessaging(bus => bus.AddConsumer<ContactReceivedConsumer>(typeof(ContactReceivedConsumerDefinition)));
        return builder;
    }
}
