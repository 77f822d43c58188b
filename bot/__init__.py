"""The Discord bot: the retrieval engine behind slash commands, mentions and DMs."""
