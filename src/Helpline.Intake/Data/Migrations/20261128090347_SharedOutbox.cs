using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpline.Intake.Data.Migrations
{
    /// <inheritdoc />
    public partial class SharedOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "message_type",
                schema: "intake",
                table: "outbox_messages",
                type: "character varying(300)",
                maxLength: 300,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(200)",
                oldMaxLength: 200);

            migrationBuilder.AddColumn<string>(
                name: "destination",
                schema: "intake",
                table: "outbox_messages",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "destination",
                schema: "intake",
                table: "outbox_messages");

            migrationBuilder.AlterColumn<string>(
                name: "message_type",
                schema: "intake",
                table: "outbox_messages",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(300)",
                oldMaxLength: 300);
        }
    }
}
