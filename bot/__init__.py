"""The Discord bot (issue #4): the retrieval engine behind slash commands, mentions and DMs."""
