// Loaded before every test file of every tier: Nest and MikroORM decorators need it.
import 'reflect-metadata';
