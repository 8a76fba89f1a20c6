using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpline.Intake.Data.Migrations
{
    /// <summary>
    /// Callback numbers move from Intake's own AES-GCM format (<c>number_ciphertext</c>, bytea) to the
    /// shared FieldEncryption text format (<c>encrypted_number</c>, <c>v1:</c> + base64, key
    /// <c>FieldEncryption:Key</c>). The column is dropped and added again rather than converted: the
    /// table holds no real data yet (callbacks are not placed and the old key option is gone, so an old
    /// value could not be read anyway). A leftover test row gets an empty value, which does not decrypt.
    /// </summary>
    public partial class CallbackNumberText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "number_ciphertext",
                schema: "intake",
                table: "callback_requests");

            migrationBuilder.AddColumn<string>(
                name: "encrypted_number",
                schema: "intake",
                table: "callback_requests",
                type: "text",
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "encrypted_number",
                schema: "intake",
                table: "callback_requests");

            migrationBuilder.AddColumn<byte[]>(
                name: "number_ciphertext",
                schema: "intake",
                table: "callback_requests",
                type: "bytea",
                maxLength: 128,
                nullable: false,
                defaultValue: new byte[0]);
        }
    }
}
